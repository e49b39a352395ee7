package dev.runnerdesk.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** An event before the log gives it a seq and hashes. */
public record EventDraft(String eventType, Instant timestamp, Optional<String> runnerId, Optional<String> sessionId,
                         String actor, Map<String, Object> data) {
    public EventDraft {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(runnerId, "runnerId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(data, "data");
    }
}
