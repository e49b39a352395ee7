package dev.runnerdesk.core;

/**
 * Lifecycle of a runner: {@code provisioning → ready ⇄ running → terminated}; {@code failed} when the
 * provider could not create it; {@code expired} when the reaper ended it at its TTL.
 */
public enum RunnerState {
    PROVISIONING("provisioning"),
    READY("ready"),
    RUNNING("running"),
    TERMINATED("terminated"),
    FAILED("failed"),
    EXPIRED("expired");

    private final String wireName;

    RunnerState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** True once the runner can never run again. */
    public boolean isFinal() {
        return this == TERMINATED || this == FAILED || this == EXPIRED;
    }

    public static RunnerState fromWire(String value) {
        return WireNames.parse(values(), RunnerState::wireName, "state", value, true);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
