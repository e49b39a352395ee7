package dev.runnerdesk.ui.app;

import dev.runnerdesk.core.PolicyEditorChecks;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.Settings;

import java.util.Objects;

/** What the composition root hands the app: how to open backends, where secrets and preferences live. */
public record AppServices(RunnerServiceFactory backends, SecretStore secrets, Settings settings, PolicyEditorChecks policyTools,
                          Runnable onExit) {
    public AppServices {
        Objects.requireNonNull(backends, "backends");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(policyTools, "policyTools");
        Objects.requireNonNull(onExit, "onExit");
    }
}
