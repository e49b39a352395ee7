package dev.runnerdesk.core;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;

/**
 * An export of the audit trail: JSON Lines, each line in its RFC 8785 form. Line 1 is the header (chain id, the
 * public keys, the range, how hashes are computed); then the signed checkpoints the range spans, each
 * {@code {"checkpoint":{…},"signature":"…"}}; then the events in seq order, each with its {@code prev_hash} and
 * {@code hash}. Anyone can check it with a JCS library, SHA-256 and Ed25519; RunnerDesk's own check, with no
 * database, reads it with the program's JSON parser ({@code wire.AuditExportVerifier}). Writing needs no JSON library
 * (the lines are {@link AuditChain#canonical}), so the app and the CLI share it.
 */
public final class AuditExport {
    public static final String FORMAT_FIELD = "runnerdesk_audit_export";
    public static final int FORMAT = 1;
    public static final String HASH_RULE = "hash = hex(SHA-256(prev_hash || JCS(event without prev_hash and hash)))";

    private AuditExport() {
    }

    /** The first line of an export. {@code types} empty: every event of the range. */
    public record Header(String chainId, String publicKey, String keyId, List<String> retiredPublicKeys, long fromSeq,
                         long toSeq, long legacyFormUntilSeq, Set<String> types, Instant exportedAt) {
        public Header {
            retiredPublicKeys = List.copyOf(retiredPublicKeys);
            types = Set.copyOf(types);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new TreeMap<>();
            m.put(FORMAT_FIELD, FORMAT);
            m.put("chain_id", chainId);
            m.put("public_key", publicKey);
            m.put("key_id", keyId);
            m.put("retired_public_keys", retiredPublicKeys);
            m.put("from_seq", fromSeq);
            m.put("to_seq", toSeq);
            m.put("legacy_form_until_seq", legacyFormUntilSeq);
            m.put("canonicalization", "RFC 8785");
            m.put("hash", HASH_RULE);
            m.put("signature", "Ed25519 over the UTF-8 bytes of JCS(checkpoint); public keys are base64url raw 32 bytes");
            if (!types.isEmpty()) {
                m.put("types", new TreeSet<>(types));
            }
            m.put("exported_at", AuditChain.normalize(exportedAt).toString());
            return m;
        }

        public static Header fromJson(Map<String, Object> m) {
            if (!(m.get(FORMAT_FIELD) instanceof Number n) || n.intValue() != FORMAT) {
                throw new IllegalArgumentException("the first line is not a RunnerDesk audit export header (format " + FORMAT + ")");
            }
            List<String> retired = new ArrayList<>();
            if (m.get("retired_public_keys") instanceof List<?> list) {
                list.forEach(k -> retired.add(String.valueOf(k)));
            }
            Set<String> types = new HashSet<>();
            if (m.get("types") instanceof List<?> list) {
                list.forEach(t -> types.add(String.valueOf(t)));
            }
            return new Header(text(m, "chain_id"), text(m, "public_key"), text(m, "key_id"), retired, whole(m, "from_seq"),
                    whole(m, "to_seq"), m.containsKey("legacy_form_until_seq") ? whole(m, "legacy_form_until_seq") : 0, types,
                    instant(text(m, "exported_at")));
        }
    }

    /** Where an export's content comes from: a backend's audit calls. */
    public interface Source {
        AuditStatus status();

        List<AuditCheckpoint> checkpoints(long afterNumber, int limit);

        List<AuditEvent> events(long afterSeq, int limit);

        /** A backend's audit calls, a page at a time (so an export works over a gateway too). */
        static Source of(RunnerService service) {
            return new Source() {
                @Override
                public AuditStatus status() {
                    return service.auditStatus();
                }

                @Override
                public List<AuditCheckpoint> checkpoints(long afterNumber, int limit) {
                    return service.auditCheckpoints(afterNumber, Math.min(limit, RunnerService.AUDIT_PAGE_LIMIT));
                }

                @Override
                public List<AuditEvent> events(long afterSeq, int limit) {
                    return service.auditEvents(afterSeq, Math.min(limit, RunnerService.AUDIT_PAGE_LIMIT));
                }
            };
        }
    }

    /** What {@link #write} wrote. */
    public record Written(long events, long checkpoints, long fromSeq, long toSeq) {
    }

    /**
     * Writes {@code fromSeq..toSeq} (clamped to the events there are), only the event types in {@code types} when
     * it is not empty. Interrupting the thread stops it.
     */
    public static Written write(Source source, long fromSeq, long toSeq, Set<String> types, Instant now, Writer out,
                                AuditProgress progress) throws IOException {
        AuditStatus status = source.status();
        if (status.chainId().isEmpty() || status.publicKey().isEmpty()) {
            throw new RunnerException.Unavailable("the audit trail has no signing key yet"
                    + status.problem().map(p -> ": " + p).orElse(""));
        }
        long from = Math.max(1, fromSeq);
        long to = Math.min(toSeq, status.headSeq());
        Header header = new Header(status.chainId().get(), status.publicKey().get(), status.keyId().orElse(""),
                status.retiredPublicKeys(), from, to, status.legacyFormUntilSeq(), types, now);
        line(out, header.toJson());
        long checkpoints = 0;
        long after = 0;
        while (true) {
            List<AuditCheckpoint> page = source.checkpoints(after, 1000);
            for (AuditCheckpoint cp : page) {
                if (cp.seq() >= from && cp.seq() <= to) {
                    line(out, cp.toJson());
                    checkpoints++;
                }
            }
            if (page.isEmpty() || page.get(page.size() - 1).seq() > to) {
                break;
            }
            after = page.get(page.size() - 1).number();
        }
        long events = 0;
        long next = from;
        long total = Math.max(0, to - from + 1);
        while (next <= to) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("export cancelled at seq " + next);
            }
            List<AuditEvent> page = source.events(next - 1, (int) Math.min(1000, to - next + 1));
            if (page.isEmpty()) {
                break;
            }
            for (AuditEvent e : page) {
                if (e.seq() > to) {
                    break;
                }
                if (types.isEmpty() || types.contains(e.eventType())) {
                    line(out, AuditChain.fields(e));
                    events++;
                }
            }
            next = page.get(page.size() - 1).seq() + 1;
            progress.progress(Math.min(next - from, total), total);
        }
        out.flush();
        return new Written(events, checkpoints, from, to);
    }

    private static void line(Writer out, Map<String, Object> json) throws IOException {
        out.write(AuditChain.canonical(json));
        out.write('\n');
    }

    /** An event from its export line (or the gateway's audit events), strictly: a missing field is an error. */
    public static AuditEvent event(Map<String, Object> m) {
        if (!(m.get("data") instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("event field data is missing or not an object");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        raw.forEach((k, v) -> data.put(String.valueOf(k), v));
        return new AuditEvent(whole(m, "seq"), text(m, "event_type"), instant(text(m, "timestamp")),
                optionalText(m, "runner_id"), optionalText(m, "session_id"), text(m, "actor"), data, text(m, "prev_hash"),
                text(m, "hash"));
    }

    private static Optional<String> optionalText(Map<String, Object> m, String field) {
        return m.get(field) == null ? Optional.empty() : Optional.of(text(m, field));
    }

    private static String text(Map<String, Object> m, String field) {
        if (!(m.get(field) instanceof String s)) {
            throw new IllegalArgumentException("field " + field + " is missing or not a string");
        }
        return s;
    }

    private static long whole(Map<String, Object> m, String field) {
        if (!(m.get(field) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("field " + field + " is missing or not a whole number");
        }
        return n.longValue();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an ISO 8601 instant", e);
        }
    }
}
