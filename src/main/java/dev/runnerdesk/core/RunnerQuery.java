package dev.runnerdesk.core;

import java.util.Objects;
import java.util.Optional;

/** A page of runners, newest first, optionally of one state. */
public record RunnerQuery(Optional<RunnerState> state, int limit, int offset) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public RunnerQuery {
        Objects.requireNonNull(state, "state");
    }

    public static RunnerQuery firstPage() {
        return new RunnerQuery(Optional.empty(), DEFAULT_LIMIT, 0);
    }
}
