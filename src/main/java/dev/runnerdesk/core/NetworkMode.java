package dev.runnerdesk.core;

/** What network a runner's sandbox gets. */
public enum NetworkMode {
    /** Loopback only. */
    NONE("none"),
    /** Only hosts on the profile's egress allowlist. */
    ALLOWLIST("allowlist"),
    /** The host's network. */
    FULL("full");

    private final String wireName;

    NetworkMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static NetworkMode fromWire(String value) {
        for (NetworkMode mode : values()) {
            if (mode.wireName.equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new RunnerException.InvalidRequest("network_mode",
                "network_mode must be one of none, allowlist, full, got " + ProviderType.quote(value));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
