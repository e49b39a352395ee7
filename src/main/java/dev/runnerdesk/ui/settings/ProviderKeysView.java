package dev.runnerdesk.ui.settings;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.ProviderKeys;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Settings → Provider keys: per cloud vendor, whether a key is saved (masked), a field to save one, and Remove. */
final class ProviderKeysView {
    final VBox root = new VBox(10);
    final Label memoryNotice = new Label();
    final Map<ProviderKeys, Row> rows = new EnumMap<>(ProviderKeys.class);

    /** One vendor's line: its state as properties, its controls. */
    static final class Row {
        /** The saved key masked ("••••••••1a2b"), or "" when none is saved. */
        final StringProperty masked = new SimpleStringProperty("");
        final BooleanProperty busy = new SimpleBooleanProperty();
        final Label state = new Label();
        final PasswordField field = new PasswordField();
        final Button save = new Button("Save", new FontIcon(Feather.CHECK));
        final Button remove = new Button("Remove", new FontIcon(Feather.TRASH_2));
    }

    ProviderKeysView(Map<ProviderKeys, Boolean> inEnvironment) {
        root.setId("provider-keys");
        Label title = new Label("Provider keys");
        title.getStyleClass().add(Styles.TITLE_4);
        Label intro = new Label("API keys of the cloud providers that runners on this computer use: E2B for e2b and "
                + "claude_computer_use sandboxes, Anthropic for Claude in claude_computer_use runners. They are kept where "
                + "“Where keys are kept” above says. The environment variable named below, when set, wins over "
                + "the saved key.");
        intro.setWrapText(true);
        intro.getStyleClass().add(Styles.TEXT_MUTED);
        memoryNotice.setId("provider-keys-in-memory-notice");
        memoryNotice.setWrapText(true);
        memoryNotice.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        memoryNotice.getStyleClass().addAll("notice", "notice-warning");
        showKeptForThisRun(false, "");
        memoryNotice.setMaxWidth(Double.MAX_VALUE);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        int line = 0;
        for (ProviderKeys key : ProviderKeys.values()) {
            Row row = new Row();
            String id = key.name().toLowerCase(Locale.ROOT);
            Label vendor = new Label(key.vendor());
            vendor.getStyleClass().add(Styles.TEXT_BOLD);
            vendor.setMinWidth(90);
            boolean env = inEnvironment.getOrDefault(key, false);
            row.state.setId("provider-key-state-" + id);
            row.state.getStyleClass().addAll(Styles.TEXT_MUTED, "monospace");
            row.state.textProperty().bind(Bindings.createStringBinding(() -> {
                String saved = row.masked.get().isEmpty() ? "" : "saved " + row.masked.get();
                if (env) {
                    return (saved.isEmpty() ? "not saved" : saved) + " — " + key.environmentVariable()
                            + " is set in the environment and is used" + (saved.isEmpty() ? "" : " instead");
                }
                return saved.isEmpty() ? "not set — or set " + key.environmentVariable() : saved;
            }, row.masked));
            row.state.setTooltip(new Tooltip(key.environmentVariable() + ", when set, wins over the saved key"));
            row.field.setId("provider-key-field-" + id);
            row.field.setPromptText("Paste a new " + key.vendor() + " API key");
            row.field.setAccessibleText(key.vendor() + " API key");
            row.save.setAccessibleText("Save the " + key.vendor() + " API key");
            row.remove.setAccessibleText("Remove the saved " + key.vendor() + " API key");
            row.field.setPrefColumnCount(22);
            row.save.setId("provider-key-save-" + id);
            row.save.getStyleClass().addAll(Styles.SMALL, Styles.ACCENT);
            row.save.setTooltip(new Tooltip("Save the key; new runners use it"));
            row.save.disableProperty().bind(row.field.textProperty().isEmpty().or(row.busy));
            row.remove.setId("provider-key-remove-" + id);
            row.remove.getStyleClass().addAll(Styles.SMALL, Styles.FLAT, Styles.DANGER);
            row.remove.setTooltip(new Tooltip("Delete the saved key"));
            row.remove.disableProperty().bind(row.masked.isEmpty().or(row.busy));
            GridPane.setHgrow(row.field, Priority.SOMETIMES);
            grid.addRow(line++, vendor, row.field, row.save, row.remove);
            Label spacer = new Label();
            grid.add(spacer, 0, line);
            grid.add(row.state, 1, line++, 3, 1);
            rows.put(key, row);
        }
        grid.setAlignment(Pos.CENTER_LEFT);
        root.getChildren().addAll(title, intro, memoryNotice, grid);
    }

    /** The buttons' tooltips say where keys are kept ({@code place}: "the OS keychain", "the key file …", …). */
    void showPlace(String place) {
        rows.values().forEach(row -> {
            row.save.getTooltip().setText("Save the key in " + place + "; new runners use it");
            row.remove.getTooltip().setText("Delete the saved key from " + place);
        });
    }

    void showKeptForThisRun(boolean thisRunOnly, String why) {
        memoryNotice.setText("Provider keys are kept for this run only and must be entered again after a restart"
                + (why.isBlank() ? "" : " (" + why + ")") + ". “Where keys are kept” above can keep them in a file.");
        memoryNotice.setVisible(thisRunOnly);
        memoryNotice.setManaged(thisRunOnly);
    }
}
