package dev.runnerdesk.core;

/** Receives live audit events from {@link RunnerService#subscribe}, on a background thread, in seq order. */
public interface EventListener {
    void onEvent(AuditEvent event);

    /** The subscription failed; it may be retried by the service, or closed. */
    default void onError(RunnerException error) {
    }
}
