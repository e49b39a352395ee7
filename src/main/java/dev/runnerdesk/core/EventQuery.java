package dev.runnerdesk.core;

import java.util.Objects;
import java.util.Optional;

/** A page of events, newest first: all runners' or one runner's, before a seq (exclusive) or the newest. */
public record EventQuery(Optional<String> runnerId, int limit, Optional<Long> beforeSeq) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        Objects.requireNonNull(runnerId, "runnerId");
        Objects.requireNonNull(beforeSeq, "beforeSeq");
    }

    public static EventQuery ofRunner(String runnerId, int limit) {
        return new EventQuery(Optional.of(runnerId), limit, Optional.empty());
    }

    public static EventQuery all(int limit) {
        return new EventQuery(Optional.empty(), limit, Optional.empty());
    }
}
