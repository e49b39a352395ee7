package dev.runnerdesk.ui.settings;

import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.scene.Node;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings → Provider keys: the E2B and Anthropic keys, saved in and removed from the app's secret store (where
 * the embedded runtime's providers read them on every probe) off the FX thread. A key is never shown, only masked.
 */
public final class ProviderKeysController {
    private final SecretStore secrets;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final ProviderKeysView view;

    /** {@code environment}: to say which keys the environment supplies (their values are not read further). */
    public ProviderKeysController(SecretStore secrets, TaskExecutor tasks, Notifier notifier, Map<String, String> environment) {
        this.secrets = secrets;
        this.tasks = tasks;
        this.notifier = notifier;
        Map<ProviderKeys, Boolean> inEnvironment = new EnumMap<>(ProviderKeys.class);
        for (ProviderKeys key : ProviderKeys.values()) {
            String value = environment.get(key.environmentVariable());
            inEnvironment.put(key, value != null && !value.isBlank());
        }
        view = new ProviderKeysView(inEnvironment);
        view.rows.forEach((key, row) -> {
            row.save.setOnAction(e -> save(key));
            row.field.setOnAction(e -> save(key));
            row.remove.setOnAction(e -> remove(key));
        });
    }

    public Node view() {
        return view.root;
    }

    /** Where keys are kept changed (or was found out): the notice says whether keys outlast this run. */
    public void keysKept(KeyStorage.State state) {
        view.showKeptForThisRun(!state.persistent(), state.problem().orElse(""));
        view.showPlace(state.place());
    }

    /** Shown: reads which keys are saved (the keychain may be slow, so in the background). */
    public void activate() {
        tasks.submit("Reading provider keys", () -> {
            Map<ProviderKeys, String> masked = new EnumMap<>(ProviderKeys.class);
            for (ProviderKeys key : ProviderKeys.values()) {
                masked.put(key, secrets.get(key.secretName()).filter(k -> !k.isBlank()).map(SecretStore::mask).orElse(""));
            }
            return masked;
        }, masked -> masked.forEach((key, m) -> {
            if (!view.rows.get(key).busy.get()) {
                view.rows.get(key).masked.set(m);
            }
        }), e -> notifier.error("Cannot read the provider keys", e));
    }

    private void save(ProviderKeys key) {
        ProviderKeysView.Row row = view.rows.get(key);
        String typed = Optional.ofNullable(row.field.getText()).map(String::strip).orElse("");
        if (typed.isEmpty() || row.busy.get()) {
            return;
        }
        row.field.clear();
        row.busy.set(true);
        tasks.submit("Saving the " + key.vendor() + " API key", () -> {
            secrets.put(key.secretName(), typed);
            return SecretStore.mask(typed);
        }, masked -> {
            row.busy.set(false);
            row.masked.set(masked);
            notifier.info(key.vendor() + " key saved", "New " + key.vendor() + " runners use it"
                    + (view.memoryNotice.isVisible() ? " until RunnerDesk exits." : "."));
        }, e -> {
            row.busy.set(false);
            notifier.error("Cannot save the " + key.vendor() + " API key", e);
        });
    }

    private void remove(ProviderKeys key) {
        ProviderKeysView.Row row = view.rows.get(key);
        row.busy.set(true);
        tasks.submit("Removing the " + key.vendor() + " API key", () -> {
            secrets.delete(key.secretName());
            return null;
        }, ok -> {
            row.busy.set(false);
            row.masked.set("");
            notifier.info(key.vendor() + " key removed", "Providers fall back to " + key.environmentVariable() + ", if it is set.");
        }, e -> {
            row.busy.set(false);
            notifier.error("Cannot remove the " + key.vendor() + " API key", e);
        });
    }
}
