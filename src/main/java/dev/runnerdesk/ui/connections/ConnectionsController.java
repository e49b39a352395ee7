package dev.runnerdesk.ui.connections;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.ConnectionProfileCodec;
import dev.runnerdesk.core.GatewayDeadlines;
import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.ui.common.Confirm;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.scene.Node;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.Window;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Connection profiles: add, edit, remove, test (open + whoami) and connect (switch the whole app). Profiles
 * are saved in the settings in the format the root hands over; API keys only in the secret store, read off the FX thread.
 */
public final class ConnectionsController {
    private final ActiveConnection connection;
    private final RunnerServiceFactory backends;
    private final SecretStore secrets;
    private final ConnectionProfileCodec codec;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final UiPreferences prefs;
    private final Supplier<Window> owner;
    private final ConnectionsModel model = new ConnectionsModel();
    private final ConnectionsView view;
    /** Counts the keys saved, so that a read of the keys older than a save is dropped. */
    private int keysChanged;

    public ConnectionsController(ActiveConnection connection, RunnerServiceFactory backends, SecretStore secrets,
                                 ConnectionProfileCodec codec, TaskExecutor tasks, Notifier notifier, UiPreferences prefs,
                                 Supplier<Window> owner) {
        this.connection = connection;
        this.backends = backends;
        this.secrets = secrets;
        this.codec = codec;
        this.tasks = tasks;
        this.notifier = notifier;
        this.prefs = prefs;
        this.owner = owner;
        model.profiles.setAll(codec.decode(prefs.get(UiPreferences.PROFILES).orElse(null)));
        view = new ConnectionsView(model, connection.profileProperty());
        view.addButton.setOnAction(e -> add());
        view.editButton.setOnAction(e -> selectedGateway().ifPresent(this::edit));
        view.removeButton.setOnAction(e -> selectedGateway().ifPresent(this::remove));
        view.testButton.setOnAction(e -> Optional.ofNullable(model.selected.get()).ifPresent(this::testSelected));
        view.connectButton.setOnAction(e -> Optional.ofNullable(model.selected.get()).ifPresent(p -> {
            // Connect is disabled once its profile is in use, and a disabled focus owner hands the focus to the next
            // control in the window (the E2B key field): keep it on the profile just connected instead
            if (view.connectButton.isFocused()) {
                view.list.requestFocus();
            }
            switchTo(p);
        }));
        view.list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && model.selected.get() != null) {
                switchTo(model.selected.get());
            }
        });
        view.onCopyKey = this::copyKey;
        view.root.getChildren().add(new DeadlineSetting(connection, prefs).view());
    }

    public Node view() {
        return view.root;
    }

    public ConnectionsModel model() {
        return model;
    }

    /** Where keys are kept changed (or was found out): the notice says whether gateway keys outlast this run. */
    public void keysKept(KeyStorage.State state) {
        model.keysPersistent.set(state.persistent());
        model.keysLimitation.set(state.problem().orElse(""));
        model.keysPlace.set(state.place());
    }

    /** The secret names of the gateway profiles' keys (to move them when the place where keys are kept changes). */
    public List<String> keyNames() {
        return model.profiles.stream().filter(p -> p.kind() == ConnectionProfile.Kind.GATEWAY)
                .map(ConnectionProfile::secretName).toList();
    }

    /** The profile the app used last, else "This computer". */
    public ConnectionProfile lastActive() {
        String id = prefs.get(UiPreferences.ACTIVE_PROFILE).orElse(ConnectionProfile.EMBEDDED_ID);
        return model.profiles.stream().filter(p -> p.id().equals(id)).findFirst().orElse(ConnectionProfile.thisComputer());
    }

    public void activate() {
        view.list.getSelectionModel().select(connection.profile());
        if (view.list.getSelectionModel().isEmpty()) {
            view.list.getSelectionModel().selectFirst();
        }
        refreshMaskedKeys();
    }

    public void deactivate() {
        // nothing is followed while hidden
    }

    /** Switches the app: the old service is closed, the runner list reloads from the new one. */
    public void switchTo(ConnectionProfile p) {
        prefs.put(UiPreferences.ACTIVE_PROFILE, p.id());
        connection.connect(p);
        model.testResult.set("");
    }

    private Optional<ConnectionProfile> selectedGateway() {
        return Optional.ofNullable(model.selected.get()).filter(p -> p.kind() == ConnectionProfile.Kind.GATEWAY);
    }

    private void add() {
        ProfileEditorDialog editor = new ProfileEditorDialog(owner.get(), Optional.empty(), Optional.empty(),
                ed -> testDraft(ed, Optional.empty()), ed -> checkThenSave(ed, Optional.empty()), model.keysPlace.get());
        editor.dialog.showAndWait().ifPresent(draft -> {
            ConnectionProfile p = draft.toProfile(ConnectionProfile.newGatewayId());
            model.profiles.add(p);
            saveProfiles();
            draft.apiKey().ifPresent(k -> storeKey(p, k));
            view.list.getSelectionModel().select(p);
        });
    }

    private void edit(ConnectionProfile old) {
        ProfileEditorDialog editor = new ProfileEditorDialog(owner.get(), Optional.of(old),
                Optional.ofNullable(model.maskedKeys.get(old.id())), ed -> testDraft(ed, Optional.of(old)),
                ed -> checkThenSave(ed, Optional.of(old)), model.keysPlace.get());
        editor.dialog.showAndWait().ifPresent(draft -> {
            ConnectionProfile p = draft.toProfile(old.id());
            model.profiles.set(model.profiles.indexOf(old), p);
            saveProfiles();
            view.list.getSelectionModel().select(p);
            // the profile in use changed: reconnect with what was saved (after the key is stored)
            Runnable reconnect = () -> {
                if (connection.profile().id().equals(p.id())) {
                    connection.connect(p);
                }
            };
            draft.apiKey().ifPresentOrElse(k -> storeKey(p, k, reconnect), reconnect);
        });
    }

    private void remove(ConnectionProfile p) {
        if (!Confirm.ask(owner.get(), "Remove connection", "Remove “" + p.name() + "”?", List.of(p.baseUrl().orElse("")),
                "Its API key is deleted" + (model.keysPlace.get().isEmpty() ? "" : " from " + model.keysPlace.get()) + " too.",
                "Remove")) {
            return;
        }
        model.profiles.remove(p);
        model.maskedKeys.remove(p.id());
        saveProfiles();
        tasks.submit("Deleting the API key of " + p.name(), () -> {
            secrets.delete(p.secretName());
            return null;
        }, ok -> { }, e -> notifier.error("Cannot delete the API key", e));
        if (connection.profile().id().equals(p.id())) {
            switchTo(ConnectionProfile.thisComputer());
        }
    }

    /**
     * Saves a new API key for the gateway in use (the banner's "Enter API key" after a 401) and connects again with it;
     * the list shows the new key's mask once it is saved.
     */
    public void replaceKey(String apiKey) {
        ConnectionProfile at = connection.profile();
        storeKey(at, apiKey, () -> {
            if (connection.profile() == at) {
                connection.connect(at);
            }
        });
    }

    private void storeKey(ConnectionProfile p, String key) {
        storeKey(p, key, () -> { });
    }

    /** Saves {@code key} off the FX thread; once saved, the list shows its mask and {@code then} runs. */
    private void storeKey(ConnectionProfile p, String key, Runnable then) {
        keysChanged++; // a read of the keys that started before this save must not put the old mask back
        tasks.submit("Saving the API key of " + p.name(), () -> {
            secrets.put(p.secretName(), key);
            return null;
        }, ok -> {
            model.maskedKeys.put(p.id(), ConnectionsModel.mask(key));
            then.run();
        }, e -> notifier.error("Cannot save the API key of " + p.name(), e));
    }

    private void copyKey(ConnectionProfile p) {
        tasks.submit("Reading the API key", () -> secrets.get(p.secretName()), (Optional<String> key) -> key.ifPresentOrElse(k -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(k);
            Clipboard.getSystemClipboard().setContent(content);
            notifier.info("API key copied", "The key of " + p.name() + " is on the clipboard.");
        }, () -> notifier.error("No API key", "No key is stored for " + p.name() + ".")),
                e -> notifier.error("Cannot read the API key", e));
    }

    private void refreshMaskedKeys() {
        List<ConnectionProfile> gateways = model.profiles.stream().filter(p -> p.kind() == ConnectionProfile.Kind.GATEWAY).toList();
        if (gateways.isEmpty()) {
            return;
        }
        int changesBefore = keysChanged;
        tasks.submit("Reading API keys", () -> {
            Map<String, String> masked = new HashMap<>();
            for (ConnectionProfile p : gateways) {
                secrets.get(p.secretName()).ifPresent(k -> masked.put(p.id(), ConnectionsModel.mask(k)));
            }
            return masked;
        }, masked -> {
            if (keysChanged != changesBefore) {
                return; // a key was saved meanwhile: what was read may be the old one
            }
            gateways.forEach(p -> model.maskedKeys.remove(p.id()));
            model.maskedKeys.putAll(masked);
        }, e -> notifier.error("Cannot read API keys", e));
    }

    private void saveProfiles() {
        prefs.put(UiPreferences.PROFILES, codec.encode(model.profiles));
    }

    private void testSelected(ConnectionProfile p) {
        model.testing.set(true);
        model.testResult.set("");
        model.testFailed.set(false);
        test(p, Optional.empty(), true, view.testWait, () -> model.testing.set(false), ok -> {
            model.testing.set(false);
            model.testFailed.set(false);
            model.testResult.set(ok);
        }, failed -> {
            model.testing.set(false);
            model.testFailed.set(true);
            model.testResult.set(describe(failed));
        });
    }

    private void testDraft(ProfileEditorDialog editor, Optional<ConnectionProfile> editing) {
        ProfileEditorDialog.Draft draft = editor.draft();
        ConnectionProfile p;
        try {
            p = draft.toProfile(editing.map(ConnectionProfile::id).orElse("draft"));
        } catch (RunnerException e) {
            editor.testResult.setText(e.getMessage());
            return;
        }
        editor.testing.set(true);
        editor.testResult.setText("");
        // a typed key is tried as typed; otherwise the stored key of the profile being edited
        test(p, draft.apiKey(), editing.isPresent(), editor.wait, () -> editor.testing.set(false), ok -> {
            editor.testing.set(false);
            editor.testResult.setText("✓ " + ok);
        }, failed -> {
            editor.testing.set(false);
            editor.testResult.setText("✗ " + describe(failed));
        });
    }

    /**
     * Save: the form's values are tried first (as Test does); what works is saved, what the gateway refuses is not
     * (the dialog says why), and an unreachable gateway offers "Save anyway".
     */
    private void checkThenSave(ProfileEditorDialog editor, Optional<ConnectionProfile> editing) {
        ProfileEditorDialog.Draft draft = editor.draft();
        ConnectionProfile p;
        try {
            p = draft.toProfile(editing.map(ConnectionProfile::id).orElse("draft"));
        } catch (RunnerException e) {
            editor.refuse(Notifier.describe(e), false);
            return;
        }
        editor.testing.set(true);
        editor.testResult.setText("");
        test(p, draft.apiKey(), editing.isPresent(), editor.wait, () -> editor.testing.set(false), ok -> {
            editor.testing.set(false);
            editor.accept();
        }, failed -> {
            editor.testing.set(false);
            editor.refuse(describe(failed), failed instanceof RunnerException.Unavailable);
        });
    }

    /**
     * Opens {@code p}'s backend, asks who we are, closes it. The key is {@code typedKey} when present, else
     * the one stored for {@code p} (when {@code storedKeyAllowed}). {@code wait} shows it with a Cancel, which stops
     * it (the request aborted), says so, and runs {@code onCancelled}; nothing is saved then.
     */
    private void test(ConnectionProfile p, Optional<String> typedKey, boolean storedKeyAllowed, WaitIndicator wait,
                      Runnable onCancelled, Consumer<String> ok, Consumer<Throwable> failed) {
        RunnerService inUse = connection.service();
        Duration testDeadline = GatewayDeadlines.forConnectionTest(connection.deadline());
        Runnable cancelled = () -> {
            wait.say("Cancelled — the connection was not tested");
            onCancelled.run();
        };
        TaskExecutor.Cancellable[] task = new TaskExecutor.Cancellable[1];
        wait.start("Waiting for " + ActiveConnection.where(p) + " to answer the connection test", () -> {
            task[0].cancel();
            cancelled.run();
        });
        task[0] = tasks.submit("Testing " + p.name(), () -> {
            Optional<String> apiKey = Optional.empty();
            if (p.kind() == ConnectionProfile.Kind.GATEWAY) {
                apiKey = typedKey.isPresent() ? typedKey : storedKeyAllowed ? secrets.get(p.secretName()) : Optional.empty();
            }
            RunnerService service = backends.open(p, apiKey, testDeadline);
            try {
                return service.whoami();
            } finally {
                if (service != inUse) {
                    service.close();
                }
            }
        }, (WhoAmI who) -> {
            wait.done();
            ok.accept("Connected as " + who.name() + " — role " + who.role().wireName() + ", beta access "
                    + (who.betaAccess() ? "yes" : "no (managed runners are not enabled for this account)") + " · " + who.backend());
        }, e -> {
            if (e instanceof CancellationException) {
                cancelled.run(); // cancelled in the status bar
                return;
            }
            wait.done();
            failed.accept(e);
        });
    }

    /** A failed test in words: what kind of failure (never a class name), then the service's reason. */
    static String describe(Throwable e) {
        String what = "Failed";
        if (e instanceof RunnerException.BetaNotEnabled) {
            what = "No beta access";
        } else if (e instanceof RunnerException.Unauthorized) {
            what = "API key refused";
        } else if (e instanceof RunnerException.Unavailable) {
            what = "Unreachable";
        } else if (e instanceof RunnerException.Forbidden) {
            what = "Not allowed";
        } else if (e instanceof RunnerException.NotFound) {
            what = "Not found";
        } else if (e instanceof RunnerException.InvalidRequest) {
            what = "Not accepted";
        } else if (e instanceof RunnerException.RateLimited) {
            what = "Too many requests";
        } else if (e instanceof RunnerException.PolicyDenied) {
            what = "Denied by policy";
        } else if (e instanceof RunnerException.Conflict) {
            what = "Not possible now";
        }
        return what + ": " + Notifier.describe(e);
    }
}
