package dev.runnerdesk.ui.connections;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.ui.common.AppStylesheet;
import dev.runnerdesk.ui.common.DialogFit;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Adds or edits a gateway profile: name, base URL, API key (typed into a password field, never shown
 * again), allow insecure. Test tries the typed values; Save tries them too and saves only what works, or, when the
 * gateway cannot be reached, after an explicit "Save anyway". What is wrong with the form shows once a field was
 * left or Save was pressed, not before any typing.
 */
final class ProfileEditorDialog {
    static final ButtonType SAVE = new ButtonType("_Save", ButtonBar.ButtonData.OK_DONE);
    static final ButtonType TEST = new ButtonType("_Test", ButtonBar.ButtonData.LEFT);
    static final ButtonType SAVE_ANYWAY = new ButtonType("Save _anyway", ButtonBar.ButtonData.OTHER);

    /** What the dialog produced; an empty key keeps the stored one. */
    record Draft(String name, String baseUrl, Optional<String> apiKey, boolean allowInsecure) {
        ConnectionProfile toProfile(String id) {
            return ConnectionProfile.gateway(id, name, baseUrl, allowInsecure);
        }
    }

    final Dialog<Draft> dialog = new Dialog<>();
    final TextField name = new TextField();
    final TextField url = new TextField();
    final PasswordField key = new PasswordField();
    final CheckBox insecure = new CheckBox("Allow _insecure (plain http:// to a host other than this computer)");
    final Label testResult = new Label();
    final StringProperty problem = new SimpleStringProperty("");
    final BooleanProperty testing = new SimpleBooleanProperty();
    /** Test's and Save's check: what they wait for, Cancel (and Escape) to stop. */
    final WaitIndicator wait = new WaitIndicator("profile-editor-wait", true);
    /** Whether the form's problem is shown: after a field was left or Save was pressed. */
    final BooleanProperty touched = new SimpleBooleanProperty();
    /** Shown after Save found the gateway unreachable: saves without the check. */
    final Button saveAnyway;

    /**
     * @param onTest tries the form's values and writes the outcome into {@link #testResult}
     * @param onSave tries them too, then calls {@link #accept()} or {@link #refuse(String, boolean)}
     * @param keysPlace where keys are kept ({@link dev.runnerdesk.core.KeyStorage.State#place()}); empty when not known yet
     */
    ProfileEditorDialog(Window owner, Optional<ConnectionProfile> editing, Optional<String> maskedKey,
                        Consumer<ProfileEditorDialog> onTest, Consumer<ProfileEditorDialog> onSave, String keysPlace) {
        dialog.initOwner(owner);
        dialog.setTitle(editing.isPresent() ? "Edit connection" : "Add a gateway");
        dialog.setHeaderText(editing.isPresent() ? "Edit " + editing.get().name() : "Connect to a runners gateway");
        dialog.getDialogPane().setId("profile-editor");
        AppStylesheet.applyTo(dialog.getDialogPane());
        dialog.getDialogPane().getButtonTypes().addAll(TEST, SAVE_ANYWAY, SAVE, ButtonType.CANCEL);
        saveAnyway = (Button) dialog.getDialogPane().lookupButton(SAVE_ANYWAY);
        saveAnyway.setId("profile-save-anyway");
        saveAnyway.setTooltip(new Tooltip("Save without checking: the gateway could not be reached to test the key"));
        saveAnyway.setVisible(false);
        saveAnyway.setManaged(false);
        Button save = (Button) dialog.getDialogPane().lookupButton(SAVE);
        save.setId("profile-save");
        save.getStyleClass().add(Styles.ACCENT);
        Button test = (Button) dialog.getDialogPane().lookupButton(TEST);
        test.setId("profile-editor-test");
        test.setTooltip(new Tooltip("Open the connection with these values and ask who you are there"));
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL)).setId("profile-cancel");

        name.setId("profile-name");
        name.setPromptText("e.g. Team gateway");
        url.setId("profile-url");
        url.setPromptText("https://gateway.example.com  or  http://localhost:8002");
        key.setId("profile-key");
        key.setPromptText(maskedKey.map(m -> "stored " + m + " — type a new key to replace it").orElse("cm_sk_… or cm_gw_…"));
        insecure.setId("profile-insecure");
        insecure.setMnemonicParsing(true);
        insecure.setWrapText(true);
        insecure.setMinHeight(Region.USE_PREF_SIZE);
        editing.ifPresent(p -> {
            name.setText(p.name());
            url.setText(p.baseUrl().orElse(""));
            insecure.setSelected(p.allowInsecure());
        });
        StringBinding check = Bindings.createStringBinding(() -> validate(name.getText(), url.getText(), insecure.isSelected()),
                name.textProperty(), url.textProperty(), insecure.selectedProperty());
        Label error = new Label();
        error.setId("profile-error");
        error.getStyleClass().add(Styles.DANGER);
        error.setWrapText(true);
        error.textProperty().bind(Bindings.when(problem.isEmpty())
                .then(Bindings.when(touched).then(check).otherwise("")).otherwise(problem));
        for (Node field : new Node[] {name, url}) {
            field.focusedProperty().addListener((o, was, now) -> {
                if (was && !now) {
                    touched.set(true);
                }
            });
        }
        testResult.setId("profile-editor-test-result");
        testResult.setWrapText(true);
        Label keyNote = new Label("The key is kept " + (keysPlace.isEmpty() ? "where Settings → Where keys are kept says"
                : "in " + keysPlace + " (Settings → Where keys are kept)") + ", and it is not shown again.");
        keyNote.setId("profile-key-note");
        keyNote.setWrapText(true);
        keyNote.getStyleClass().add(Styles.TEXT_MUTED);

        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(8);
        form.getColumnConstraints().addAll(new ColumnConstraints(90),
                new ColumnConstraints(340, 380, Double.MAX_VALUE, Priority.ALWAYS, null, true));
        form.addRow(0, label("_Name", name), name);
        form.addRow(1, label("Base _URL", url), url);
        form.addRow(2, label("API _key", key), key);
        form.add(keyNote, 1, 3);
        form.add(insecure, 1, 4);
        VBox body = new VBox(10, form, error, wait.view(), testResult);
        // an error, a wait or a test's result that comes: the dialog grows to fit, its buttons never pushed out of sight
        DialogFit.refitOn(dialog, error, wait.view(), testResult);
        // Escape stops a check that runs, and leaves the dialog open; without one it closes the dialog
        dialog.getDialogPane().addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && wait.cancel()) {
                e.consume();
            }
        });
        dialog.setOnHidden(e -> wait.cancel());
        body.setPadding(new Insets(12, 16, 8, 16));
        dialog.getDialogPane().setContent(body);
        dialog.getDialogPane().setPrefWidth(560);

        save.disableProperty().bind(check.isNotEmpty().and(touched).or(testing));
        test.disableProperty().bind(check.isNotEmpty().or(testing));
        test.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            onTest.accept(this);
        });
        save.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            touched.set(true);
            if (check.get().isEmpty()) {
                onSave.accept(this);
            }
        });
        saveAnyway.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            accept();
        });
        name.textProperty().addListener((o, was, now) -> hideSaveAnyway());
        url.textProperty().addListener((o, was, now) -> hideSaveAnyway());
        key.textProperty().addListener((o, was, now) -> hideSaveAnyway());
        dialog.setResultConverter(b -> b == SAVE ? draft() : null);
    }

    /** Closes the dialog with the form's values. */
    void accept() {
        dialog.setResult(draft());
        dialog.close();
    }

    /** Save's check failed: says why; {@code unreachable} offers "Save anyway". */
    void refuse(String why, boolean unreachable) {
        testResult.setText("✗ " + why + (unreachable ? " — the key could not be checked." : " — not saved."));
        saveAnyway.setVisible(unreachable);
        saveAnyway.setManaged(unreachable);
    }

    private void hideSaveAnyway() {
        saveAnyway.setVisible(false);
        saveAnyway.setManaged(false);
    }

    Draft draft() {
        String typed = key.getText() == null ? "" : key.getText().trim();
        return new Draft(name.getText().trim(), url.getText().trim().replaceAll("/+$", ""),
                typed.isEmpty() ? Optional.empty() : Optional.of(typed), insecure.isSelected());
    }

    /** Empty when the values can be saved; else what is wrong. */
    static String validate(String name, String url, boolean allowInsecure) {
        if (name == null || name.isBlank()) {
            return "Give the connection a name.";
        }
        if (url == null || url.isBlank()) {
            return "Enter the gateway's base URL.";
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return "The base URL is not a URL.";
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            return "The base URL starts with https:// (or http:// with “Allow insecure”).";
        }
        boolean loopback = "localhost".equalsIgnoreCase(uri.getHost()) || uri.getHost().startsWith("127.")
                || "[::1]".equals(uri.getHost()) || "::1".equals(uri.getHost());
        if ("http".equalsIgnoreCase(uri.getScheme()) && !loopback && !allowInsecure) {
            return "http:// would send the API key unencrypted: use https://, or tick “Allow insecure”.";
        }
        return "";
    }

    private static Label label(String text, Node target) {
        Label l = new Label(text);
        l.setMnemonicParsing(true);
        l.setLabelFor(target);
        return l;
    }
}
