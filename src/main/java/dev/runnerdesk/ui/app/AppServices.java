package dev.runnerdesk.ui.app;

import dev.runnerdesk.core.BackendFactory;
import dev.runnerdesk.core.PolicyTools;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.Settings;

import java.util.Objects;

/** What the composition root hands the app: how to open backends, where secrets and preferences live. */
public record AppServices(BackendFactory backends, SecretStore secrets, Settings settings, PolicyTools policyTools,
                          Runnable onExit) {
    public AppServices {
        Objects.requireNonNull(backends, "backends");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(policyTools, "policyTools");
        Objects.requireNonNull(onExit, "onExit");
    }
}
