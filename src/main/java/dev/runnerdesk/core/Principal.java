package dev.runnerdesk.core;

import java.util.Objects;

/** Who is calling: a name that appears as {@code actor} in audit events, and a role. */
public record Principal(String name, Role role) {
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    /** The person at this computer using the embedded runtime. */
    public static Principal localUser() {
        return new Principal("local", Role.ADMIN);
    }

    /** The runtime itself (TTL reaper, reconciliation). */
    public static Principal system() {
        return new Principal("system", Role.ADMIN);
    }
}
