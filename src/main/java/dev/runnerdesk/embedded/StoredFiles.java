package dev.runnerdesk.embedded;

import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Role.Permission;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException.NotFound;
import dev.runnerdesk.core.RunnerException.Unavailable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What runners leave in the data directory besides the database, read for one caller: terminal recordings (only by
 * the roles the runner's profile lets read them, also once the runner is gone) and computer-use screenshots.
 */
final class StoredFiles {
    private static final Pattern SCREENSHOT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}\\.png");

    private final EmbeddedRuntime rt;
    private final CallerAccess access;
    private final RunnerLookup lookup;

    StoredFiles(EmbeddedRuntime rt, CallerAccess access, RunnerLookup lookup) {
        this.rt = rt;
        this.access = access;
        this.lookup = lookup;
    }

    String recording(String runnerId, String sessionId, int index) {
        String action = "read recordings";
        access.require(Permission.READ, runnerId, action);
        // the runner's row outlives it, so its profile still decides once it is terminated
        ProfilePolicy policy = rt.db.read(c -> rt.policies.load(c, EmbeddedRuntime.defaultPolicies())
                .profile(lookup.runner(c, runnerId).runner().toolProfile()));
        if (!policy.mayReadRecordings(access.caller().role())) {
            throw access.denied(runnerId, action, "required_role", policy.recordingReaders().wireName(), "role "
                    + access.caller().role().wireName() + " may not " + action + " of " + policy.profile().wireName()
                    + " runners; its policy lets " + policy.recordingReaders().wireName() + " and the roles above read them"
                    + " (and every " + Role.namesWith(Permission.AUDIT) + ")");
        }
        rt.db.read(c -> lookup.session(c, lookup.runner(c, runnerId).runner(), sessionId));
        if (index < 1) {
            throw new InvalidRequest("index", "recordings are numbered from 1, got " + index);
        }
        Path file = rt.recordingsDir().resolve(sessionId + "-" + index + ".cast");
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NotFound("session " + sessionId + " has no recording " + index);
        } catch (IOException e) {
            throw new Unavailable("cannot read the recording " + file.getFileName() + ": " + e.getMessage());
        }
    }

    byte[] screenshot(String runnerId, String name) {
        access.require(Permission.READ, runnerId, "read screenshots");
        rt.db.read(c -> lookup.runner(c, runnerId));
        if (name == null || !SCREENSHOT_NAME.matcher(name).matches()) {
            throw new InvalidRequest("name", "a screenshot name is letters, digits, '-' and '_' ending in .png, got \""
                    + name + "\"");
        }
        Path file = rt.screenshotFile(runnerId, name);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NotFound("runner " + runnerId + " has no screenshot " + name);
        } catch (IOException e) {
            throw new Unavailable("cannot read the screenshot " + name + ": " + e.getMessage());
        }
    }
}
