package dev.runnerdesk.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A signed statement that event {@code seq} of chain {@code chainId} had hash {@code eventHash} at {@code time}.
 * Checkpoints are numbered from 1 and chain to each other: {@code prevCheckpointHash} is the {@link #hash()} of
 * checkpoint {@code number - 1} (64 zeros for the first). The signature is Ed25519 over the UTF-8 bytes of
 * {@link #payload()}, by the key whose id is {@code keyId}.
 */
public record AuditCheckpoint(long number, String chainId, long seq, String eventHash, Instant time,
                              String prevCheckpointHash, String keyId, String signature) {
    /** The {@code prev_checkpoint_hash} of the first checkpoint. */
    public static final String GENESIS = AuditChain.GENESIS;

    public AuditCheckpoint {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(eventHash, "eventHash");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(prevCheckpointHash, "prevCheckpointHash");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
        time = AuditChain.normalize(time);
    }

    /** The signed fields as a JSON object (wire names). */
    public Map<String, Object> payloadFields() {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("chain_id", chainId);
        fields.put("checkpoint", number);
        fields.put("seq", seq);
        fields.put("event_hash", eventHash);
        fields.put("time", time.toString());
        fields.put("prev_checkpoint_hash", prevCheckpointHash);
        fields.put("key_id", keyId);
        return fields;
    }

    /** The RFC 8785 JSON of {@link #payloadFields()}: what is signed and hashed. */
    public String payload() {
        return AuditChain.canonical(payloadFields());
    }

    /** {@code hex(SHA-256(payload))}: what the next checkpoint links to. */
    public String hash() {
        return AuditChain.sha256Hex(payload());
    }

    /** The payload with its signature: a line of {@code checkpoints.jsonl} and of an export. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new TreeMap<>();
        json.put("checkpoint", payloadFields());
        json.put("signature", signature);
        return json;
    }

    /** Reads {@link #toJson()}; throws IllegalArgumentException saying which field is wrong. */
    public static AuditCheckpoint fromJson(Map<String, Object> json) {
        if (!(json.get("checkpoint") instanceof Map<?, ?> p)) {
            throw new IllegalArgumentException("not a checkpoint: no \"checkpoint\" object");
        }
        try {
            return new AuditCheckpoint(number(p, "checkpoint"), text(p, "chain_id"), number(p, "seq"), text(p, "event_hash"),
                    Instant.parse(text(p, "time")), text(p, "prev_checkpoint_hash"), text(p, "key_id"),
                    text(json, "signature"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("checkpoint time is not an ISO 8601 instant", e);
        }
    }

    private static String text(Map<?, ?> json, String field) {
        if (!(json.get(field) instanceof String s)) {
            throw new IllegalArgumentException("checkpoint field " + field + " is missing or not a string");
        }
        return s;
    }

    private static long number(Map<?, ?> json, String field) {
        if (!(json.get(field) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0) {
            throw new IllegalArgumentException("checkpoint field " + field + " is missing or not a whole number");
        }
        return n.longValue();
    }
}
