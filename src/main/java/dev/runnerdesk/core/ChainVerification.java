package dev.runnerdesk.core;

/** The result of checking a range of the audit chain. */
public sealed interface ChainVerification {
    /** Every event in {@code fromSeq..toSeq} is present and its hash and link are right. */
    record Verified(long fromSeq, long toSeq, long count) implements ChainVerification {
    }

    /** Event {@code seq} is missing from the range. */
    record Gap(long seq) implements ChainVerification {
    }

    /** Event {@code seq} does not match its hash, or does not link to the event before it. */
    record Broken(long seq, String reason) implements ChainVerification {
    }

    default boolean isVerified() {
        return this instanceof Verified;
    }

    /** A line a person can read. */
    default String describe() {
        if (this instanceof Verified v) {
            return v.count() == 0 ? "verified (no events)" : "verified " + v.fromSeq() + "–" + v.toSeq();
        } else if (this instanceof Gap g) {
            return "gap at seq " + g.seq();
        }
        Broken b = (Broken) this;
        return "broken at seq " + b.seq() + " (" + b.reason() + ")";
    }
}
