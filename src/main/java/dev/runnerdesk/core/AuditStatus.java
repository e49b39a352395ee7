package dev.runnerdesk.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the audit trail stands: its chain id and the public key its checkpoints are signed with (empty before the
 * first start made them) and those it replaced ({@code retiredPublicKeys}: they signed older checkpoints), the newest event's seq, the newest checkpoint, the seq up to which events are hashed in
 * the form used before RFC 8785 (0: none), and why checkpoints cannot be signed now (empty when they can).
 */
public record AuditStatus(Optional<String> chainId, Optional<String> publicKey, Optional<String> keyId,
                          List<String> retiredPublicKeys, long headSeq, Optional<AuditCheckpoint> lastCheckpoint,
                          long legacyFormUntilSeq, Optional<String> problem) {
    public AuditStatus {
        retiredPublicKeys = List.copyOf(retiredPublicKeys);
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(lastCheckpoint, "lastCheckpoint");
        Objects.requireNonNull(problem, "problem");
    }

    /** Events after the newest checkpoint: chained, not yet signed. */
    public long unsignedEvents() {
        return headSeq - lastCheckpoint.map(AuditCheckpoint::seq).orElse(0L);
    }
}
