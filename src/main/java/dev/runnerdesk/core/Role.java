package dev.runnerdesk.core;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * RBAC roles, each a set of {@link Permission}s; not a ladder: an auditor may audit but not operate, an operator
 * the reverse. Declared in the order lists show them.
 */
public enum Role {
    VIEWER("viewer", EnumSet.of(Permission.READ)),
    AUDITOR("auditor", EnumSet.of(Permission.READ, Permission.AUDIT)),
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

    /** The roles that have {@code permission}, in declaration order. */
    public static List<Role> with(Permission permission) {
        return Arrays.stream(values()).filter(r -> r.may(permission)).toList();
    }

    /** The roles that have {@code permission} for a message, e.g. "auditor or admin". */
    public static String namesWith(Permission permission) {
        List<String> names = with(permission).stream().map(Role::wireName).toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
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
        /** verify the audit trail, read its checkpoints and every terminal recording whatever the profile allows */
        AUDIT("verify the audit trail, read its checkpoints and every terminal recording, export it"),
        /** start and stop sessions, exec */
        OPERATE("start and stop sessions and run commands"),
        /** create and terminate runners, edit policies */
        ADMINISTER("create and terminate runners and edit policies");

        private final String description;

        Permission(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
