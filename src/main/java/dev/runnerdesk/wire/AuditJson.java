package dev.runnerdesk.wire;

import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit trail's status and verification results on the wire ({@code /gateway/admin/audit/…}) and in {@code --json}. */
public final class AuditJson {
    private AuditJson() {
    }

    public static Map<String, Object> status(AuditStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        s.chainId().ifPresent(v -> m.put("chain_id", v));
        s.publicKey().ifPresent(v -> m.put("public_key", v));
        s.keyId().ifPresent(v -> m.put("key_id", v));
        m.put("retired_public_keys", s.retiredPublicKeys());
        m.put("head_seq", s.headSeq());
        s.lastCheckpoint().ifPresent(cp -> m.put("last_checkpoint", cp.toJson()));
        m.put("unsigned_events", s.unsignedEvents());
        m.put("legacy_form_until_seq", s.legacyFormUntilSeq());
        s.problem().ifPresent(p -> m.put("problem", p));
        return m;
    }

    public static AuditStatus status(Map<String, Object> m) {
        List<String> retired = new ArrayList<>();
        if (m.get("retired_public_keys") instanceof List<?> list) {
            list.forEach(k -> retired.add(String.valueOf(k)));
        }
        Optional<AuditCheckpoint> last = m.get("last_checkpoint") instanceof Map<?, ?> cp
                ? Optional.of(AuditCheckpoint.fromJson(cast(cp))) : Optional.empty();
        return new AuditStatus(text(m, "chain_id"), text(m, "public_key"), text(m, "key_id"), retired, number(m, "head_seq"),
                last, number(m, "legacy_form_until_seq"), text(m, "problem"));
    }

    public static Map<String, Object> verification(ChainVerification v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verified", v.isVerified());
        if (v instanceof ChainVerification.Verified ok) {
            m.put("from_seq", ok.fromSeq());
            m.put("to_seq", ok.toSeq());
            m.put("count", ok.count());
            m.put("signed_to_seq", ok.signedToSeq());
            ok.signedAt().ifPresent(t -> m.put("signed_at", t.toString()));
            m.put("checkpoints", ok.checkpoints());
        } else {
            ChainVerification.Failed f = (ChainVerification.Failed) v;
            m.put("problem", f.problem().wireName());
            m.put("seq", f.seq());
            m.put("checkpoint", f.checkpoint());
            m.put("detail", f.detail());
        }
        m.put("description", v.describe());
        return m;
    }

    /** Reads {@link #verification(ChainVerification)}; a problem this version does not know is read as unreadable. */
    public static ChainVerification verification(Map<String, Object> m) {
        if (Boolean.TRUE.equals(m.get("verified"))) {
            return new ChainVerification.Verified(number(m, "from_seq"), number(m, "to_seq"), number(m, "count"),
                    number(m, "signed_to_seq"), text(m, "signed_at").map(Instant::parse), number(m, "checkpoints"));
        }
        ChainVerification.Problem problem;
        try {
            problem = ChainVerification.Problem.fromWire(String.valueOf(m.get("problem")));
        } catch (RuntimeException unknown) {
            problem = ChainVerification.Problem.UNREADABLE;
        }
        return new ChainVerification.Failed(problem, number(m, "seq"), number(m, "checkpoint"),
                text(m, "detail").orElse("the gateway did not say"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Optional<String> text(Map<String, Object> m, String field) {
        return m.get(field) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static long number(Map<String, Object> m, String field) {
        return m.get(field) instanceof Number n ? n.longValue() : 0;
    }
}
