package dev.runnerdesk.core;

/**
 * Receives what happens to runners from {@link RunnerService#subscribe}: audit events in seq order and,
 * for subscriptions to one runner, the output of its commands while they run. Called on a background thread.
 */
public interface EventListener {
    /** The subscription is in place; events after {@code afterSeq} follow. Resuming from it loses nothing. */
    default void onSubscribed(long afterSeq) {
    }

    void onEvent(AuditEvent event);

    /** Output of a command of the subscribed runner, as it is produced. */
    default void onOutput(OutputChunk chunk) {
    }

    /** The subscription failed; it may be retried by the service, or closed. */
    default void onError(RunnerException error) {
    }
}
