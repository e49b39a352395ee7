package dev.runnerdesk.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A runner as the service reports it. Ids look like {@code runner_<12 hex>} (gateways may use other shapes). */
public record Runner(String runnerId, RunnerState state, ProviderType providerType, ToolProfile toolProfile,
                     int ttlSeconds, Instant createdAt, Instant expiresAt, Optional<String> imageRef,
                     Optional<Session> activeSession, Optional<String> error) {
    public Runner {
        Objects.requireNonNull(runnerId, "runnerId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(providerType, "providerType");
        Objects.requireNonNull(toolProfile, "toolProfile");
        Objects.requireNonNull(imageRef, "imageRef");
        Objects.requireNonNull(activeSession, "activeSession");
        Objects.requireNonNull(error, "error");
    }

    /** Time left before the reaper ends the runner; zero once expired or ended. */
    public Duration remaining(Instant now) {
        if (state.isFinal() || expiresAt == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
