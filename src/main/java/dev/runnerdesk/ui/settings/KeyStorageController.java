package dev.runnerdesk.ui.settings;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Settings → Where keys are kept: says where API keys are now (the OS keychain, this run only and why, or the key
 * file), and offers the explicit opt-in to a plain-text file only you can read, with its warning said plainly. The
 * choice and the move of the keys run off the FX thread.
 */
public final class KeyStorageController {
    private final KeyStorage storage;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final Supplier<Collection<String>> keyNames;
    private final ObjectProperty<KeyStorage.State> state = new SimpleObjectProperty<>();
    final VBox root = new VBox(8);
    final Label where = new Label();
    final CheckBox useFile = new CheckBox("Keep keys in a file only you can read (plain text, like git credential-store)");
    final Label warning = new Label();
    /** The check box follows the state while this is set, without asking to change it. */
    private boolean syncing;

    /** @param keyNames the names of every key to move along when the place changes (providers', gateways') */
    public KeyStorageController(KeyStorage storage, TaskExecutor tasks, Notifier notifier, Supplier<Collection<String>> keyNames) {
        this.storage = storage;
        this.tasks = tasks;
        this.notifier = notifier;
        this.keyNames = keyNames;
        root.setId("key-storage");
        Label title = new Label("Where keys are kept");
        title.getStyleClass().add(Styles.TITLE_4);
        where.setId("key-storage-where");
        where.setWrapText(true);
        where.setMaxWidth(Double.MAX_VALUE);
        where.setText("Looking for the OS keychain…");
        useFile.setId("key-storage-file");
        useFile.setMnemonicParsing(false);
        useFile.setWrapText(true);
        useFile.setDisable(true);
        useFile.setTooltip(new Tooltip("For machines that will never have a keychain (a headless Linux without a Secret Service)"));
        warning.setId("key-storage-warning");
        warning.setWrapText(true);
        warning.getStyleClass().add(Styles.TEXT_MUTED);
        warning.setText(baseWarning());
        root.getChildren().addAll(title, where, useFile, warning);
        useFile.selectedProperty().addListener((o, was, on) -> {
            if (!syncing) {
                choose(on);
            }
        });
        state.addListener((o, was, now) -> show(now));
    }

    public Node view() {
        return root;
    }

    /** Where keys are kept, once read (null before): the provider keys and connections sections follow it. */
    public ReadOnlyObjectProperty<KeyStorage.State> stateProperty() {
        return state;
    }

    public void activate() {
        tasks.submit("Finding where keys are kept", storage::state, state::set,
                e -> where.setText("Cannot tell where keys are kept: " + Notifier.describe(e)));
    }

    private void choose(boolean file) {
        useFile.setDisable(true);
        Collection<String> names = keyNames.get();
        tasks.submit(file ? "Moving keys into the key file" : "Moving keys out of the key file",
                () -> storage.useFile(file, names), now -> {
                    state.set(now);
                    notifier.info(file ? "Keys kept in a file" : "Key file deleted", file
                            ? "API keys are now kept in " + now.file() + ", readable only by you."
                            : "API keys are kept " + (now.persistent() ? "in the OS keychain." : "for this run only."));
                }, e -> {
                    show(state.get());
                    notifier.error("Cannot change where keys are kept", e);
                });
    }

    private void show(KeyStorage.State s) {
        if (s == null) {
            return;
        }
        String problem = s.problem().map(p -> " (" + p + ")").orElse("");
        String text = switch (s.where()) {
            case KEYCHAIN -> "Keys are kept in the OS keychain." + problem;
            case FILE -> "Keys are kept in " + s.file() + ", a plain-text file only you can read.";
            case THIS_RUN -> "Keys last for this run only and must be entered again after a restart" + problem + "."
                    + (s.file().isEmpty() || s.fixedBy().isPresent() ? "" : " To keep them, tick the box below.");
        };
        where.setText(text);
        where.getStyleClass().removeAll("notice", "notice-warning");
        where.setGraphic(null);
        if (!s.persistent() || s.problem().isPresent()) {
            where.getStyleClass().addAll("notice", "notice-warning");
            where.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        }
        syncing = true;
        useFile.setSelected(s.where() == KeyStorage.Where.FILE);
        syncing = false;
        Optional<String> fixed = s.fixedBy();
        useFile.setDisable(s.file().isEmpty() || fixed.isPresent());
        useFile.setAccessibleHelp(fixed.map(f -> "Set by " + f).orElse(warning.getText()));
        if (fixed.isPresent()) {
            warning.setText("Set for this run by " + fixed.get() + ". " + baseWarning());
        } else if (s.file().isEmpty()) {
            warning.setText("Not offered here. " + baseWarning());
        } else {
            warning.setText(baseWarning());
        }
    }

    private static String baseWarning() {
        return "The file is plain text: anyone who can read your files as you — a backup, a program you run, an"
                + " administrator — can read the keys. Without it, keys go to the OS keychain, or where there is none, last"
                + " for this run only.";
    }
}
