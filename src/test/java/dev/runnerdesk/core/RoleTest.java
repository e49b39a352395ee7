package dev.runnerdesk.core;

import dev.runnerdesk.core.Role.Permission;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Roles as sets of permissions, and who reads a profile's recordings now that they are not a ladder. */
class RoleTest {

    @Test
    void anAuditorReadsAndAuditsButNeitherOperatesNorAdministers() {
        assertEquals(EnumSet.of(Permission.READ, Permission.AUDIT), Role.AUDITOR.permissions());
        assertEquals(Role.AUDITOR, Role.fromWire("Auditor"));
        assertFalse(Role.OPERATOR.may(Permission.AUDIT), "an operator is not above an auditor");
        assertTrue(Role.ADMIN.permissions().containsAll(EnumSet.allOf(Permission.class)));
    }

    @Test
    void rolesAreListedViewerAuditorOperatorAdmin() {
        assertEquals(List.of("viewer", "auditor", "operator", "admin"), List.of(Role.values()).stream().map(Role::wireName).toList());
    }

    @Test
    void theRolesWithAPermissionAreNamedForMessages() {
        assertEquals("auditor or admin", Role.namesWith(Permission.AUDIT));
        assertEquals("operator or admin", Role.namesWith(Permission.OPERATE));
        assertEquals("admin", Role.namesWith(Permission.ADMINISTER));
        assertEquals("viewer, auditor, operator or admin", Role.namesWith(Permission.READ));
    }

    @Test
    void recordingsAreReadByTheLevelAndAboveAndByEveryRoleThatAudits() {
        ProfilePolicy base = new ProfilePolicy(ToolProfile.LOCKED, List.of("echo"), NetworkMode.NONE, List.of(), 3600, 60, 65536, false);
        assertReaders(base.withRecording(16, Role.VIEWER), Role.VIEWER, Role.AUDITOR, Role.OPERATOR, Role.ADMIN);
        assertReaders(base.withRecording(16, Role.OPERATOR), Role.AUDITOR, Role.OPERATOR, Role.ADMIN);
        assertReaders(base.withRecording(16, Role.ADMIN), Role.AUDITOR, Role.ADMIN);
        // never stored (the validator refuses it), but if it were: only the roles that audit, not viewers by rank
        assertReaders(base.withRecording(16, Role.AUDITOR), Role.AUDITOR, Role.ADMIN);
    }

    private static void assertReaders(ProfilePolicy policy, Role... readers) {
        List<Role> expected = List.of(readers);
        List<Role> actual = List.of(Role.values()).stream().filter(policy::mayReadRecordings).toList();
        assertEquals(expected, actual, "recording_readers " + policy.recordingReaders());
    }
}
