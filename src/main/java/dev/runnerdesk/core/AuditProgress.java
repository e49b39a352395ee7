package dev.runnerdesk.core;

/** Hears how far a verification of the audit trail has got; called on the verifying thread. */
@FunctionalInterface
public interface AuditProgress {
    AuditProgress NONE = (done, total) -> { };

    /** {@code done} of {@code total} events checked so far. */
    void progress(long done, long total);
}
