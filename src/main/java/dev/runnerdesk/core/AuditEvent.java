package dev.runnerdesk.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the append-only audit trail. {@code hash = SHA-256(prevHash ‖ canonical JSON)} as
 * {@link AuditChain} computes it. {@code data} holds JSON values only (String, Number, Boolean, List,
 * Map, null) and never a secret.
 */
public record AuditEvent(long seq, String eventType, Instant timestamp, Optional<String> runnerId,
                         Optional<String> sessionId, String actor, Map<String, Object> data,
                         String prevHash, String hash) {
    public AuditEvent {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(runnerId, "runnerId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(actor, "actor");
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }
}
