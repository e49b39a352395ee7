package dev.runnerdesk.core;

import java.util.Objects;
import java.util.Optional;

/** Whether a provider can create runners here, and if not, why and what to do about it. */
public record ProviderInfo(ProviderType type, boolean available, Optional<String> unavailableReason,
                           boolean interactiveTerminal) {
    public ProviderInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unavailableReason, "unavailableReason");
    }

    public static ProviderInfo available(ProviderType type, boolean interactiveTerminal) {
        return new ProviderInfo(type, true, Optional.empty(), interactiveTerminal);
    }

    public static ProviderInfo unavailable(ProviderType type, String reason) {
        return new ProviderInfo(type, false, Optional.of(reason), false);
    }
}
