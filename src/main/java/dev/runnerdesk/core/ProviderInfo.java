package dev.runnerdesk.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a provider can create runners here, and if not, why and what to do about it. {@code isolation}
 * says, per tool profile, how a runner is confined and held to its limits on this machine (empty where the
 * provider does not say, e.g. a cloud sandbox). {@code interactiveTerminal} says that {@link RunnerService#openTerminal}
 * opens a shell through the service that reported it, end to end; where it is false, commands run through exec.
 */
public record ProviderInfo(ProviderType type, boolean available, Optional<String> unavailableReason,
                           boolean interactiveTerminal, Map<ToolProfile, String> isolation) {
    public ProviderInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unavailableReason, "unavailableReason");
        isolation = Map.copyOf(isolation);
    }

    public ProviderInfo(ProviderType type, boolean available, Optional<String> unavailableReason, boolean interactiveTerminal) {
        this(type, available, unavailableReason, interactiveTerminal, Map.of());
    }

    public ProviderInfo withIsolation(Map<ToolProfile, String> byProfile) {
        return new ProviderInfo(type, available, unavailableReason, interactiveTerminal, byProfile);
    }

    public static ProviderInfo available(ProviderType type, boolean interactiveTerminal) {
        return new ProviderInfo(type, true, Optional.empty(), interactiveTerminal);
    }

    public static ProviderInfo unavailable(ProviderType type, String reason) {
        return new ProviderInfo(type, false, Optional.of(reason), false);
    }
}
