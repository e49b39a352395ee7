package dev.runnerdesk.ui.common;

import dev.runnerdesk.core.Role.Permission;
import dev.runnerdesk.core.Role;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Why a control is off names every role that may use it: roles are no ladder, so "the next role up" would mislead. */
class RoleGateReasonTest {

    @Test
    void anAuditorIsToldWhichRolesMayOperate() {
        assertEquals("your role is auditor; stopping sessions needs operator or admin",
                RoleGate.reasonFor(Role.AUDITOR, Permission.OPERATE, "stopping sessions"));
        assertEquals("your role is auditor; creating runners needs admin",
                RoleGate.reasonFor(Role.AUDITOR, Permission.ADMINISTER, "creating runners"));
    }

    @Test
    void anOperatorIsToldWhichRolesMayAudit() {
        assertEquals("your role is operator; verifying the audit trail needs auditor or admin",
                RoleGate.reasonFor(Role.OPERATOR, Permission.AUDIT, "verifying the audit trail"));
        assertEquals("", RoleGate.reasonFor(Role.AUDITOR, Permission.AUDIT, "verifying the audit trail"));
        assertEquals("", RoleGate.reasonFor(null, Permission.AUDIT, "verifying the audit trail"), "unknown yet: allowed");
    }
}
