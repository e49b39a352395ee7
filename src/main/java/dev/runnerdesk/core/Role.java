package dev.runnerdesk.core;

import java.util.EnumSet;
import java.util.Set;

/** RBAC roles: each includes what the one before it may do. */
public enum Role {
    VIEWER("viewer", EnumSet.of(Permission.READ)),
    OPERATOR("operator", EnumSet.of(Permission.READ, Permission.OPERATE)),
    ADMIN("admin", EnumSet.allOf(Permission.class));

    private final String wireName;
    private final Set<Permission> permissions;

    Role(String wireName, Set<Permission> permissions) {
        this.wireName = wireName;
        this.permissions = permissions;
    }

    public String wireName() {
        return wireName;
    }

    public boolean may(Permission permission) {
        return permissions.contains(permission);
    }

    public Set<Permission> permissions() {
        return EnumSet.copyOf(permissions);
    }

    public static Role fromWire(String value) {
        return WireNames.parse(values(), Role::wireName, "role", value, true);
    }

    @Override
    public String toString() {
        return wireName;
    }

    /** What a role may do; every service call needs one of these. */
    public enum Permission {
        /** list, get, events, policies, whoami */
        READ("read runners, events and policies"),
        /** start and stop sessions, exec */
        OPERATE("start and stop sessions and run commands"),
        /** create and terminate runners, edit policies */
        ADMINISTER("create and terminate runners and edit policies"),
        /** verify the audit trail, read its checkpoints and every recording, export it */
        AUDIT("verify the audit trail, read its checkpoints and every recording, export it");

        private final String description;

        Permission(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
