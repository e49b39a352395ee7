package dev.runnerdesk.embedded;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.IdFormat;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Role.Permission;
import dev.runnerdesk.core.RunnerException.Forbidden;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One caller's role checks: every refusal is an {@code auth.denied} event before it is an error. */
final class CallerAccess {
    private final EmbeddedRuntime rt;
    private final Principal caller;

    CallerAccess(EmbeddedRuntime rt, Principal caller) {
        this.rt = rt;
        this.caller = caller;
    }

    Principal caller() {
        return caller;
    }

    /** Checks the caller's role; a denial is written as {@code auth.denied} before the error is thrown. */
    void require(Permission permission, String runnerId, String action) {
        if (runnerId != null) {
            IdFormat.check("runner_id", runnerId); // before a denial records it
        }
        if (caller.role().may(permission)) {
            return;
        }
        throw denied(runnerId, action, "required_permission", permission.name().toLowerCase(Locale.ROOT),
                "role " + caller.role().wireName() + " may not " + action + "; "
                        + article(Role.namesWith(permission)) + " role is needed");
    }

    /** "an admin", "a viewer": the article a role name (or a list of them) reads with. */
    private static String article(String roles) {
        return ("aeiou".indexOf(roles.charAt(0)) >= 0 ? "an " : "a ") + roles;
    }

    /** Writes the {@code auth.denied} event of a refusal; returns the error to throw. */
    Forbidden denied(String runnerId, String action, String requirement, String required, String message) {
        rt.write(tx -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("action", action);
            data.put("role", caller.role().wireName());
            data.put(requirement, required);
            tx.event(EventTypes.AUTH_DENIED, runnerId, null, caller, data);
            return null;
        });
        return new Forbidden(message);
    }
}
