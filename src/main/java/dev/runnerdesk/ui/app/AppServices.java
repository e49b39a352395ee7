package dev.runnerdesk.ui.app;

import dev.runnerdesk.core.ConnectionProfileCodec;
import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.core.PolicyEditorChecks;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.Settings;

import java.util.Objects;

/**
 * What the composition root hands the app: how to open backends, where secrets and preferences live, and what the
 * layers below do for the UI (the policy editor's checks, the saved profiles' format).
 */
public record AppServices(RunnerServiceFactory backends, SecretStore secrets, Settings settings, PolicyEditorChecks policyTools,
                          ConnectionProfileCodec profiles, Runnable onExit, KeyStorage keyStorage) {
    /** Where keys are kept is that of {@code secrets}, with no file to opt into (tests, screenshot scenes). */
    public AppServices(RunnerServiceFactory backends, SecretStore secrets, Settings settings, PolicyEditorChecks policyTools,
                       ConnectionProfileCodec profiles, Runnable onExit) {
        this(backends, secrets, settings, policyTools, profiles, onExit, KeyStorage.of(secrets));
    }

    public AppServices {
        Objects.requireNonNull(keyStorage, "keyStorage");
        Objects.requireNonNull(backends, "backends");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(policyTools, "policyTools");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(onExit, "onExit");
    }
}
