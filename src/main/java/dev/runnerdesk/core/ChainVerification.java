package dev.runnerdesk.core;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The result of checking a range of the audit chain and the signed checkpoints over it. */
public sealed interface ChainVerification {
    /**
     * Every event in {@code fromSeq..toSeq} is present, its hash and link are right, and every signed checkpoint
     * in the range holds. {@code signedToSeq} is the seq of the newest checkpoint checked (0: none), signed at
     * {@code signedAt}; events after it are chained but not yet signed.
     */
    record Verified(long fromSeq, long toSeq, long count, long signedToSeq, Optional<Instant> signedAt,
                    long checkpoints) implements ChainVerification {
        public Verified {
            Objects.requireNonNull(signedAt, "signedAt");
        }

        /** A range checked without checkpoints (events only). */
        public Verified(long fromSeq, long toSeq, long count) {
            this(fromSeq, toSeq, count, 0, Optional.empty(), 0);
        }
    }

    /**
     * The first problem found: what it is, the seq it is at (0 when it is not at an event, e.g. a foreign database),
     * the checkpoint concerned (0: none) and a sentence saying what was seen.
     */
    record Failed(Problem problem, long seq, long checkpoint, String detail) implements ChainVerification {
        public Failed {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** What can be wrong with the trail, in the order a reader would look for it. */
    enum Problem {
        /** An event is missing from the middle. */
        GAP("gap"),
        /** An event's content no longer matches its hash. */
        CONTENT_CHANGED("content changed"),
        /** An event's prev_hash is not the hash of the event before it. */
        LINK_BROKEN("link broken"),
        /** The newest events were deleted: the head is behind a signed checkpoint. */
        TRUNCATED("truncated"),
        /** The chain was recomputed: an event's hash is not the one a checkpoint signed. */
        REWRITTEN("rewritten"),
        /** The database belongs to another chain (another chain id or signing key). */
        FOREIGN_DATABASE("foreign database"),
        /** A checkpoint's signature does not verify: it was forged or altered. */
        BAD_SIGNATURE("bad signature"),
        /** A checkpoint kept outside the database is not in it, or differs from it. */
        CHECKPOINT_MISSING("checkpoint missing"),
        /** A checkpoint does not link to the one before it. */
        CHECKPOINT_CHAIN_BROKEN("checkpoint chain broken"),
        /** The input could not be read as an audit trail (an export file that is not one). */
        UNREADABLE("unreadable");

        private final String label;

        Problem(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Problem fromWire(String value) {
            return WireNames.parse(values(), Problem::wireName, "problem", value, false);
        }
    }

    static Failed gap(long seq) {
        return new Failed(Problem.GAP, seq, 0, "event " + seq + " is missing");
    }

    static Failed contentChanged(long seq) {
        return new Failed(Problem.CONTENT_CHANGED, seq, 0, "the event's content does not match its hash");
    }

    static Failed linkBroken(long seq) {
        return new Failed(Problem.LINK_BROKEN, seq, 0, "prev_hash does not match the event before it");
    }

    default boolean isVerified() {
        return this instanceof Verified;
    }

    /** A line a person can read, e.g. "verified 1–12,345, signed to seq 12,000" or "truncated at seq 41: …". */
    default String describe() {
        if (this instanceof Verified v) {
            if (v.count() == 0) {
                return "verified (no events)";
            }
            String range = "verified " + String.format(Locale.ROOT, "%,d–%,d", v.fromSeq(), v.toSeq());
            return v.signedToSeq() > 0 ? range + String.format(Locale.ROOT, ", signed to seq %,d", v.signedToSeq())
                    : range + ", not signed yet";
        }
        Failed f = (Failed) this;
        return f.problem().label() + (f.seq() > 0 ? " at seq " + f.seq() : "")
                + (f.checkpoint() > 0 ? " (checkpoint " + f.checkpoint() + ")" : "") + ": " + f.detail();
    }
}
