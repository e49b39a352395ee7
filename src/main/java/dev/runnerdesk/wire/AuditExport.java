package dev.runnerdesk.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.AuditVerifier;
import dev.runnerdesk.core.ChainVerification.Failed;
import dev.runnerdesk.core.ChainVerification.Problem;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.security.PublicKey;
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
 * {@code hash}. Anyone can check it with a JCS library, SHA-256 and Ed25519: {@link #verify} is RunnerDesk's own
 * check, with no database.
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

        static Header fromJson(Map<String, Object> m) {
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

    /** The outcome of checking an export: its header (when it had one), the result, and what the reader should know. */
    public record Checked(Optional<Header> header, ChainVerification result, List<String> notes) {
    }

    /**
     * Checks an export with no database: the header, every checkpoint's signature and links, every event's hash, the
     * links between events (unless the export is narrowed to some types), and each event a checkpoint signed.
     * {@code pinnedKey} is the public key the reader trusts; without it the file's own keys are used, and a note
     * says so.
     */
    public static Checked verify(BufferedReader in, Optional<String> pinnedKey, AuditProgress progress) throws IOException {
        List<String> notes = new ArrayList<>();
        String first = in.readLine();
        if (first == null) {
            return new Checked(Optional.empty(), unreadable(0, "the file is empty"), notes);
        }
        Header header;
        try {
            header = Header.fromJson(parse(first));
        } catch (IllegalArgumentException e) {
            return new Checked(Optional.empty(), unreadable(0, "line 1: " + e.getMessage()), notes);
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        try {
            if (pinnedKey.isPresent()) {
                String pin = pinnedKey.get().trim();
                keys.put(AuditSignatures.keyId(pin), AuditSignatures.decodePublic(pin));
                if (!AuditSignatures.keyId(pin).equals(header.keyId()) && !header.retiredPublicKeys().contains(pin)) {
                    notes.add("the file names key " + header.keyId() + ", not the key given (" + AuditSignatures.keyId(pin) + ")");
                }
            } else {
                keys.put(AuditSignatures.keyId(header.publicKey()), AuditSignatures.decodePublic(header.publicKey()));
                for (String retired : header.retiredPublicKeys()) {
                    keys.put(AuditSignatures.keyId(retired), AuditSignatures.decodePublic(retired));
                }
                notes.add("signatures were checked with the key the file names (" + header.keyId()
                        + "); pass --public-key with the key you trust to pin it");
            }
        } catch (IllegalArgumentException e) {
            return new Checked(Optional.of(header), unreadable(0, "the public key: " + e.getMessage()), notes);
        }
        boolean contiguous = header.types().isEmpty();
        if (!contiguous) {
            notes.add("the export holds only some event types (" + String.join(", ", new TreeSet<>(header.types()))
                    + "): each event's hash and the signatures were checked, but not the links between events");
        }
        AuditVerifier verifier = new AuditVerifier(new AuditVerifier.Trust(header.chainId(), keys), header.legacyFormUntilSeq(),
                contiguous);
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        long lineNumber = 1;
        String line;
        boolean walking = false;
        long total = Math.max(0, header.toSeq() - header.fromSeq() + 1);
        long lastSeq = header.fromSeq() - 1;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> json;
            try {
                json = parse(line);
            } catch (IllegalArgumentException e) {
                return new Checked(Optional.of(header), unreadable(0, "line " + lineNumber + ": " + e.getMessage()), notes);
            }
            if (json.containsKey("checkpoint")) {
                if (walking) {
                    return new Checked(Optional.of(header), unreadable(0, "line " + lineNumber
                            + ": a checkpoint after the events (checkpoints come first)"), notes);
                }
                try {
                    checkpoints.add(AuditCheckpoint.fromJson(json));
                } catch (IllegalArgumentException e) {
                    return new Checked(Optional.of(header), unreadable(0, "line " + lineNumber + ": " + e.getMessage()), notes);
                }
                continue;
            }
            if (!walking) {
                walking = true;
                Optional<Failed> bad = verifier.checkpoints(checkpoints, List.of(), false);
                if (bad.isPresent()) {
                    return new Checked(Optional.of(header), bad.get(), notes);
                }
                verifier.start(header.fromSeq(), header.fromSeq() == 1 ? AuditChain.GENESIS : null);
            }
            AuditEvent event;
            try {
                event = event(json);
            } catch (IllegalArgumentException e) {
                return new Checked(Optional.of(header), unreadable(0, "line " + lineNumber + ": " + e.getMessage()), notes);
            }
            if (event.seq() < header.fromSeq() || event.seq() > header.toSeq()) {
                return new Checked(Optional.of(header), new Failed(Problem.GAP, event.seq(), 0, "event " + event.seq()
                        + " is outside the range the header gives (" + header.fromSeq() + "–" + header.toSeq() + ")"), notes);
            }
            Optional<Failed> bad = verifier.accept(event);
            if (bad.isPresent()) {
                return new Checked(Optional.of(header), bad.get(), notes);
            }
            lastSeq = event.seq();
            if (verifier.count() % 5_000 == 0) {
                progress.progress(lastSeq - header.fromSeq() + 1, total);
            }
        }
        if (!walking) {
            Optional<Failed> bad = verifier.checkpoints(checkpoints, List.of(), false);
            if (bad.isPresent()) {
                return new Checked(Optional.of(header), bad.get(), notes);
            }
            verifier.start(header.fromSeq(), null);
        }
        // a narrowed export has no events at some signed seqs; only a whole one shows where its events end
        ChainVerification result = verifier.finish(header.toSeq(), contiguous ? lastSeq : header.toSeq());
        if (result.isVerified() && contiguous && lastSeq < header.toSeq()) {
            result = new Failed(Problem.TRUNCATED, lastSeq + 1, 0, "the header says the export ends at seq " + header.toSeq()
                    + " but its events end at " + lastSeq + ": the end of the file was cut off");
        }
        progress.progress(total, total);
        return new Checked(Optional.of(header), result, notes);
    }

    private static Failed unreadable(long seq, String detail) {
        return new Failed(Problem.UNREADABLE, seq, 0, detail);
    }

    private static Map<String, Object> parse(String line) {
        try {
            return Json.readObject(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
        }
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
