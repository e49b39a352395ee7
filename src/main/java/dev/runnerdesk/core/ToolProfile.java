package dev.runnerdesk.core;

/** The named tool profiles a runner is created with; what each allows is a {@link ProfilePolicy}. */
public enum ToolProfile {
    LOCKED("locked", "Minimal tools, no network"),
    WEB_AUTOMATION("web_automation", "Browser and HTTP through the egress allowlist"),
    FULL_VM_TOOLS("full_vm_tools", "Every command, network shared");

    private final String wireName;
    private final String description;

    ToolProfile(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    public String wireName() {
        return wireName;
    }

    /** One line a person can read to choose a profile. */
    public String description() {
        return description;
    }

    public static ToolProfile fromWire(String value) {
        return WireNames.parse(values(), ToolProfile::wireName, "tool_profile", value, false);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
