package dev.runnerdesk.core;

/** A session is active until it is stopped (by a caller, by its TTL, or with its runner). */
public enum SessionState {
    ACTIVE("active"),
    STOPPED("stopped");

    private final String wireName;

    SessionState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SessionState fromWire(String value) {
        for (SessionState state : values()) {
            if (state.wireName.equalsIgnoreCase(value)) {
                return state;
            }
        }
        // gateways name the active state differently ("running", "started"); anything not stopped is active
        return "stopped".equalsIgnoreCase(value) || "ended".equalsIgnoreCase(value) ? STOPPED : ACTIVE;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
