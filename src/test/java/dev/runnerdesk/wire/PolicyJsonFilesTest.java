package dev.runnerdesk.wire;

import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.policy.DefaultPolicies;
import dev.runnerdesk.policy.PolicyValidator;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each profile's file access on the wire and in the store: {@code "files": {"viewers_download", "max_upload_mib"}}. */
class PolicyJsonFilesTest {
    private static final ProfilePolicy LOCKED = DefaultPolicies.create().profile(ToolProfile.LOCKED);

    private static Map<String, Object> lockedWith(Object files) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>(PolicyJson.profileToMap(LOCKED));
        if (files == null) {
            m.remove("files");
        } else {
            m.put("files", files);
        }
        return Json.readObject(Json.write(m)); // as it comes back from the store or a gateway
    }

    @Test
    void fileAccessRoundTripsThroughJson() throws Exception {
        ProfilePolicy edited = LOCKED.withFiles(new FileAccess(true, 77));
        Map<String, Object> m = Json.readObject(Json.write(PolicyJson.profileToMap(edited)));
        assertEquals(Map.of("viewers_download", true, "max_upload_mib", 77), m.get("files"));
        assertEquals(edited, PolicyJson.profileFromMap(ToolProfile.LOCKED, m));
        Policies all = DefaultPolicies.create();
        assertEquals(all, PolicyJson.fromMap(Json.readObject(Json.write(PolicyJson.toMap(all)))));
    }

    @Test
    void aPolicyWithoutFileAccessGetsTheDefaultAndAMissingFieldKeepsItsDefault() throws Exception {
        assertEquals(FileAccess.DEFAULT, PolicyJson.profileFromMap(ToolProfile.LOCKED, lockedWith(null)).files(),
                "older stored policies and gateways send none");
        assertEquals(new FileAccess(false, FileAccess.DEFAULT.maxUploadMib()),
                PolicyJson.profileFromMap(ToolProfile.LOCKED, lockedWith(Map.of("viewers_download", false))).files());
        assertEquals(new FileAccess(FileAccess.DEFAULT.viewersDownload(), 5),
                PolicyJson.profileFromMap(ToolProfile.LOCKED, lockedWith(Map.of("max_upload_mib", 5))).files());
    }

    @Test
    void badFileAccessIsRefusedNamingProfileAndField() {
        RunnerException.InvalidRequest notBool = assertThrows(RunnerException.InvalidRequest.class,
                () -> PolicyJson.profileFromMap(ToolProfile.LOCKED, lockedWith(Map.of("viewers_download", "yes"))));
        assertEquals(Optional.of("locked.files.viewers_download"), notBool.field());
        RunnerException.InvalidRequest notObject = assertThrows(RunnerException.InvalidRequest.class,
                () -> PolicyJson.profileFromMap(ToolProfile.LOCKED, lockedWith(java.util.List.of())));
        assertEquals(Optional.of("locked.files"), notObject.field());
        RunnerException.InvalidRequest tooBig = assertThrows(RunnerException.InvalidRequest.class,
                () -> PolicyValidator.validate(LOCKED.withFiles(new FileAccess(true, 0))));
        assertEquals(Optional.of("locked.files.max_upload_mib"), tooBig.field());
        assertTrue(tooBig.getMessage().contains("MiB"), tooBig.getMessage());
    }

    @Test
    void lockedViewersListButDoNotDownloadByDefaultAndUploadsFitTheDisk() {
        Policies defaults = DefaultPolicies.create();
        assertFalse(defaults.profile(ToolProfile.LOCKED).files().viewersDownload());
        assertTrue(defaults.profile(ToolProfile.WEB_AUTOMATION).files().viewersDownload());
        for (ToolProfile profile : ToolProfile.values()) {
            ProfilePolicy p = defaults.profile(profile);
            assertTrue(p.files().maxUploadMib() <= p.limits().diskMib(), profile + ": an upload fits its disk");
            PolicyValidator.validate(p);
        }
    }
}
