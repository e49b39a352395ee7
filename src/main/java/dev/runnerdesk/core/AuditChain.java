package dev.runnerdesk.core;

import org.erdtman.jcs.NumberToJSON;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * The hash chain of the audit trail: {@code hash = hex(SHA-256(prev_hash ‖ canonical JSON))}, where {@code prev_hash}
 * is the previous event's hash as 64 lowercase hex characters (64 zeros before the first event), joined to the
 * canonical JSON with nothing between, both as UTF-8. The canonical JSON of an event is the RFC 8785 (JCS) form of
 * an object with {@code seq, event_type, timestamp, runner_id, session_id, actor, data}: keys sorted by UTF-16 code
 * units, no whitespace, numbers in their ECMAScript form, absent optionals left out, and the timestamp as ISO 8601
 * UTC at millisecond precision ({@code 2026-12-03T07:05:09.120Z}; the fraction is left out when it is zero). The
 * store writes with it, and every viewer, the offline verifier and an auditor's own tools check with it.
 *
 * <p>Events written before RunnerDesk used RFC 8785 ({@code legacyUntilSeq}) are hashed in the earlier form, which
 * differs only in how non-integral and very large numbers are written.
 */
public final class AuditChain {
    /** The {@code prev_hash} of the first event. */
    public static final String GENESIS = "0".repeat(64);
    /** The largest integer a double holds exactly; larger ones are written as JCS writes their double. */
    private static final long EXACT_DOUBLE_INTEGER = 1L << 53;

    private AuditChain() {
    }

    /** Timestamps are kept at millisecond precision so they survive every JSON round trip unchanged. */
    public static Instant normalize(Instant timestamp) {
        return timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    public static String hash(String prevHash, long seq, String eventType, Instant timestamp, String runnerId,
                              String sessionId, String actor, Map<String, Object> data) {
        return digest(prevHash, canonicalJson(seq, eventType, timestamp, runnerId, sessionId, actor, data, true));
    }

    /** The hash in the form used before RFC 8785, for events up to the recorded legacy seq. */
    public static String legacyHash(AuditEvent e) {
        return digest(e.prevHash(), legacyCanonicalJson(e));
    }

    /** The RFC 8785 JSON an event's hash is computed over (without {@code prev_hash} and {@code hash}). */
    public static String canonicalJson(AuditEvent e) {
        return canonicalJson(e.seq(), e.eventType(), e.timestamp(), e.runnerId().orElse(null), e.sessionId().orElse(null),
                e.actor(), e.data(), true);
    }

    /** The JSON an event was hashed over before RFC 8785. */
    public static String legacyCanonicalJson(AuditEvent e) {
        return canonicalJson(e.seq(), e.eventType(), e.timestamp(), e.runnerId().orElse(null), e.sessionId().orElse(null),
                e.actor(), e.data(), false);
    }

    /** The event's hashed fields, with {@code prev_hash} and {@code hash}: one line of an export. */
    public static Map<String, Object> fields(AuditEvent e) {
        Map<String, Object> fields = fields(e.seq(), e.eventType(), e.timestamp(), e.runnerId().orElse(null),
                e.sessionId().orElse(null), e.actor(), e.data());
        fields.put("prev_hash", e.prevHash());
        fields.put("hash", e.hash());
        return fields;
    }

    private static Map<String, Object> fields(long seq, String eventType, Instant timestamp, String runnerId,
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
        return fields;
    }

    private static String canonicalJson(long seq, String eventType, Instant timestamp, String runnerId, String sessionId,
                                        String actor, Map<String, Object> data, boolean jcs) {
        StringBuilder json = new StringBuilder(256);
        write(json, fields(seq, eventType, timestamp, runnerId, sessionId, actor, data), jcs);
        return json.toString();
    }

    /**
     * The hash of an event whose {@code data} is given as its RFC 8785 text (as the store keeps it), without parsing
     * it: the same as {@link #hash} when {@code canonicalData} is {@code canonical(data)}.
     */
    public static String hashWithCanonicalData(String prevHash, long seq, String eventType, Instant timestamp, String runnerId,
                                               String sessionId, String actor, String canonicalData) {
        // the keys in RFC 8785 order: actor, data, event_type, runner_id, seq, session_id, timestamp
        StringBuilder json = new StringBuilder(96 + canonicalData.length());
        json.append("{\"actor\":");
        writeString(json, actor, true);
        json.append(",\"data\":").append(canonicalData).append(",\"event_type\":");
        writeString(json, eventType, true);
        if (runnerId != null) {
            json.append(",\"runner_id\":");
            writeString(json, runnerId, true);
        }
        json.append(",\"seq\":").append(seq);
        if (sessionId != null) {
            json.append(",\"session_id\":");
            writeString(json, sessionId, true);
        }
        json.append(",\"timestamp\":");
        writeString(json, normalize(timestamp).toString(), true);
        return digest(prevHash, json.append('}').toString());
    }

    /** {@code hex(SHA-256(prevHash ‖ canonicalJson))}. */
    public static String digest(String prevHash, String canonicalJson) {
        MessageDigest sha = sha256();
        sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        sha.update(canonicalJson.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** {@code hex(SHA-256(text))} of the text's UTF-8 bytes. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
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
        return verify(ascending, expectedFirstPrevHash, 0);
    }

    /** As {@link #verify(List, String)}, events up to {@code legacyUntilSeq} hashed in the form used before RFC 8785. */
    public static ChainVerification verify(List<AuditEvent> ascending, String expectedFirstPrevHash, long legacyUntilSeq) {
        if (ascending.isEmpty()) {
            return new ChainVerification.Verified(0, 0, 0);
        }
        AuditEvent previous = null;
        for (AuditEvent event : ascending) {
            if (previous != null && event.seq() != previous.seq() + 1) {
                return ChainVerification.gap(previous.seq() + 1);
            }
            String expectedPrev = previous != null ? previous.hash() : expectedFirstPrevHash;
            if (expectedPrev != null && !expectedPrev.equals(event.prevHash())) {
                return ChainVerification.linkBroken(event.seq());
            }
            if (!(event.seq() <= legacyUntilSeq ? legacyHash(event) : hashOf(event)).equals(event.hash())) {
                return ChainVerification.contentChanged(event.seq());
            }
            previous = event;
        }
        return new ChainVerification.Verified(ascending.get(0).seq(), previous.seq(), ascending.size());
    }

    /** The RFC 8785 (JSON Canonicalization Scheme) form of a JSON value. */
    public static String canonical(Object value) {
        StringBuilder out = new StringBuilder(128);
        write(out, value, true);
        return out.toString();
    }

    /** Writes a JSON value in its RFC 8785 form: keys sorted by UTF-16 code units, no whitespace, ECMAScript numbers. */
    public static void writeCanonical(StringBuilder out, Object value) {
        write(out, value, true);
    }

    private static void write(StringBuilder out, Object value, boolean jcs) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s, jcs);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Number n) {
            writeNumber(out, n, jcs);
        } else if (value instanceof Map<?, ?> map) {
            // String.compareTo orders by UTF-16 code units, as RFC 8785 sorts keys
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, e.getKey(), jcs);
                out.append(':');
                write(out, e.getValue(), jcs);
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
                write(out, item, jcs);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeNumber(StringBuilder out, Number n, boolean jcs) {
        boolean integral = n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
        // a range check, not Math.abs: Math.abs(Long.MIN_VALUE) overflows to a negative number
        if (integral && (!jcs || -EXACT_DOUBLE_INTEGER <= n.longValue() && n.longValue() <= EXACT_DOUBLE_INTEGER)) {
            out.append(n.longValue());
        } else if (!jcs) {
            if (n instanceof BigInteger) {
                out.append(n);
            } else {
                BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
                out.append(d.scale() <= 0 ? d.toBigIntegerExact().toString() : d.toPlainString());
            }
        } else {
            // RFC 8785 numbers are IEEE 754 doubles written as ECMAScript's Number.prototype.toString writes them
            try {
                out.append(NumberToJSON.serializeNumber(n.doubleValue()));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a JSON number: " + n, e);
            }
        }
    }

    private static void writeString(StringBuilder out, String s, boolean jcs) {
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
                    if (c < 0x20 || jcs && Character.isSurrogate(c) && !pairedSurrogate(s, i)) {
                        // a lone surrogate has no UTF-8 form; it is escaped as ECMAScript's JSON.stringify does
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
