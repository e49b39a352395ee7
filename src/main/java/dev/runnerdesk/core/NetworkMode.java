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
        return WireNames.parse(values(), NetworkMode::wireName, "network_mode", value, true);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
