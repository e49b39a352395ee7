package dev.runnerdesk.core;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain of the audit trail: {@code hash = SHA-256(prev_hash ‖ canonical JSON)}, where the
 * canonical JSON of an event has its fields ({@code seq, event_type, timestamp, runner_id, session_id,
 * actor, data}) with keys sorted, no whitespace, absent optionals left out, and timestamps in ISO-8601
 * UTC at millisecond precision. The store writes with it and every viewer checks with it.
 */
public final class AuditChain {
    /** The {@code prev_hash} of the first event. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** Timestamps are kept at millisecond precision so they survive every JSON round trip unchanged. */
    public static Instant normalize(Instant timestamp) {
        return timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    public static String hash(String prevHash, long seq, String eventType, Instant timestamp, String runnerId,
                              String sessionId, String actor, Map<String, Object> data) {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("seq", seq);
        fields.put("event_type", eventType);
        fields.put("timestamp", normalize(timestamp).toString());
        if (runnerId != null) {
            fields.put("runner_id", runnerId);
        }
        if (sessionId != null) {
            fields.put("session_id", sessionId);
        }
        fields.put("actor", actor);
        fields.put("data", data);
        StringBuilder json = new StringBuilder(256);
        writeCanonical(json, fields);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update(json.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static String hashOf(AuditEvent event) {
        return hash(event.prevHash(), event.seq(), event.eventType(), event.timestamp(),
                event.runnerId().orElse(null), event.sessionId().orElse(null), event.actor(), event.data());
    }

    /**
     * Checks events given in ascending seq order: each hash, each link to the one before, and that no seq
     * is skipped. The first event's own link can only be checked against {@code expectedFirstPrevHash}
     * when the caller knows it (null otherwise).
     */
    public static ChainVerification verify(List<AuditEvent> ascending, String expectedFirstPrevHash) {
        if (ascending.isEmpty()) {
            return new ChainVerification.Verified(0, 0, 0);
        }
        AuditEvent previous = null;
        for (AuditEvent event : ascending) {
            if (previous != null && event.seq() != previous.seq() + 1) {
                return new ChainVerification.Gap(previous.seq() + 1);
            }
            String expectedPrev = previous != null ? previous.hash() : expectedFirstPrevHash;
            if (expectedPrev != null && !expectedPrev.equals(event.prevHash())) {
                return new ChainVerification.Broken(event.seq(), "prev_hash does not match the event before it");
            }
            if (!hashOf(event).equals(event.hash())) {
                return new ChainVerification.Broken(event.seq(), "content does not match its hash");
            }
            previous = event;
        }
        return new ChainVerification.Verified(ascending.get(0).seq(), previous.seq(), ascending.size());
    }

    /** Writes a JSON value canonically: sorted keys, no whitespace, minimal number forms. */
    public static void writeCanonical(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof java.math.BigInteger) {
            out.append(value);
        } else if (value instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
            out.append(d.scale() <= 0 ? d.toBigIntegerExact().toString() : d.toPlainString());
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, e.getKey());
                out.append(':');
                writeCanonical(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeCanonical(out, item);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
