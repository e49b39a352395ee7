package dev.runnerdesk.core;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a connection profile into a {@link RunnerService}. The composition root builds it; the UI
 * switches backends through it without knowing what is behind.
 */
@FunctionalInterface
public interface RunnerServiceFactory {
    /**
     * Opens the profile's backend. For a gateway, {@code apiKey} is its key (checked for shape and
     * transport security before anything is sent). The caller closes the service when it switches away.
     */
    RunnerService open(ConnectionProfile profile, Optional<String> apiKey);

    /**
     * The same, every call of it given at most {@code deadline} in all, retries included (a connection test waits
     * 15 s, not a call's 30 s three times over). Backends without a network answer as {@link #open} does.
     */
    default RunnerService open(ConnectionProfile profile, Optional<String> apiKey, Duration deadline) {
        return open(profile, apiKey, () -> deadline);
    }

    /**
     * The same, each call's deadline read from {@code deadline} as it starts, so a changed setting applies from the
     * next call on without reconnecting. A factory of gateways implements this one.
     */
    default RunnerService open(ConnectionProfile profile, Optional<String> apiKey, Supplier<Duration> deadline) {
        return open(profile, apiKey);
    }
}
