package dev.runnerdesk.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A session of a runner: the span in which commands run. Ids look like {@code sess_<12 hex>}. */
public record Session(String sessionId, String runnerId, SessionState state, Instant startedAt,
                      Instant expiresAt, Optional<Instant> stoppedAt, Optional<String> stopReason) {
    public Session {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(runnerId, "runnerId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stoppedAt, "stoppedAt");
        Objects.requireNonNull(stopReason, "stopReason");
    }

    public boolean isActive() {
        return state == SessionState.ACTIVE;
    }
}
