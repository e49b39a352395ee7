package dev.runnerdesk.ui.runners;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.common.DialogFit;
import dev.runnerdesk.ui.common.WaitIndicator;
import dev.runnerdesk.ui.common.AppStylesheet;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The create-runner dialog, built in code; it stays open until the runner exists or the person cancels. */
final class CreateRunnerView {
    static final ButtonType CREATE = new ButtonType("_Create runner", ButtonBar.ButtonData.OK_DONE);
    final Dialog<Runner> dialog = new Dialog<>();
    final ComboBox<ProviderInfo> provider = new ComboBox<>();
    final ComboBox<ToolProfile> profile = new ComboBox<>();
    final TextField ttl = new TextField();
    final TextField image = new TextField();
    final Label error = new Label();
    final Button createButton;
    final Button cancelButton;
    /** The create's wait: on what, for how long, and Cancel (Escape too), which leaves the dialog open. */
    final WaitIndicator wait = new WaitIndicator("create-wait", true);

    CreateRunnerView(CreateRunnerModel model, Window owner) {
        dialog.initOwner(owner);
        dialog.setTitle("Create runner");
        dialog.setHeaderText("Create a runner");
        dialog.setGraphic(new FontIcon(Feather.BOX));
        dialog.setResizable(true);
        dialog.getDialogPane().setId("create-runner-dialog");
        AppStylesheet.applyTo(dialog.getDialogPane());
        dialog.getDialogPane().getButtonTypes().addAll(CREATE, ButtonType.CANCEL);
        createButton = (Button) dialog.getDialogPane().lookupButton(CREATE);
        createButton.setId("create-submit");
        createButton.getStyleClass().add(Styles.ACCENT);
        cancelButton = (Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL);
        cancelButton.setId("create-cancel");
        cancelButton.setTooltip(new Tooltip("Close; while a runner is being created, stop waiting for it (Esc)"));

        provider.setId("create-provider");
        provider.setItems(model.providers);
        provider.setMaxWidth(Double.MAX_VALUE);
        provider.setCellFactory(l -> new ProviderCell());
        provider.setButtonCell(new ProviderCell());
        provider.valueProperty().bindBidirectional(model.provider);
        provider.disableProperty().bind(model.providersLoading.or(model.busy));
        provider.promptTextProperty().bind(Bindings.when(model.providersLoading).then("Loading providers…").otherwise("Choose a provider"));
        Label providerReason = new Label();
        providerReason.setId("create-provider-reason");
        providerReason.setWrapText(true);
        providerReason.getStyleClass().add(Styles.TEXT_MUTED);
        providerReason.textProperty().bind(Bindings.createStringBinding(() -> model.providers.stream()
                .filter(p -> !p.available()).map(p -> "• " + p.type().wireName() + " — " + p.unavailableReason().orElse("unavailable"))
                .reduce((a, b) -> a + "\n" + b).map(s -> "Not available here:\n" + s).orElse(""), model.providers));
        providerReason.getStyleClass().add(Styles.TEXT_SMALL);
        providerReason.setMinHeight(Region.USE_PREF_SIZE);
        // the reasons arrive after the dialog is shown: let it grow to fit them

        profile.setId("create-profile");
        profile.getItems().setAll(ToolProfile.values());
        profile.setMaxWidth(Double.MAX_VALUE);
        profile.valueProperty().bindBidirectional(model.profile);
        profile.disableProperty().bind(model.busy);
        Label profileDescription = new Label();
        profileDescription.setId("create-profile-description");
        profileDescription.getStyleClass().add(Styles.TEXT_MUTED);
        profileDescription.textProperty().bind(Bindings.createStringBinding(
                () -> model.profile.get() == null ? "" : model.profile.get().description(), model.profile));

        ttl.setId("create-ttl");
        ttl.setTextFormatter(new TextFormatter<String>(c -> c.getControlNewText().matches("\\d{0,6}") ? c : null));
        ttl.textProperty().bindBidirectional(model.ttl);
        ttl.disableProperty().bind(model.busy);
        ttl.setTooltip(new Tooltip("Seconds until the runner is ended by itself: " + CreateRunnerRequest.TTL.span()));
        Label ttlHint = new Label();
        ttlHint.setId("create-ttl-hint");
        ttlHint.getStyleClass().add(Styles.TEXT_MUTED);
        ttlHint.textProperty().bind(Bindings.when(model.ttlProblem.isEmpty()).then(model.ttlHint).otherwise(model.ttlProblem));
        model.ttlProblem.addListener((o, was, now) -> {
            ttl.pseudoClassStateChanged(Styles.STATE_DANGER, !now.isEmpty());
            ttlHint.getStyleClass().remove(Styles.DANGER);
            if (!now.isEmpty()) {
                ttlHint.getStyleClass().add(Styles.DANGER);
            }
        });

        image.setId("create-image");
        image.setPromptText("optional, e.g. python:3.12-slim");
        image.textProperty().bindBidirectional(model.imageRef);
        image.disableProperty().bind(model.busy);

        error.setId("create-error");
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        error.textProperty().bind(model.error);
        error.visibleProperty().bind(model.error.isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        error.setGraphic(new FontIcon(Feather.ALERT_CIRCLE));

        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE); // a label is never cut
        form.getColumnConstraints().addAll(labels, new ColumnConstraints(320, 360, Double.MAX_VALUE, Priority.ALWAYS, null, true));
        form.addRow(0, label("_Provider", provider), provider);
        form.add(providerReason, 1, 1);
        form.addRow(2, label("Tool p_rofile", profile), profile);
        form.add(profileDescription, 1, 3);
        form.addRow(4, label("_TTL (seconds)", ttl), ttl);
        form.add(ttlHint, 1, 5);
        form.addRow(6, label("_Image", image), image);
        VBox body = new VBox(12, form, error, wait.view());
        // an error or a wait's line that comes or goes: the dialog grows to fit, its buttons never pushed out of sight
        DialogFit.refitOn(dialog, error, wait.view(), providerReason);
        // room between the labels and the dialog's edge
        body.setPadding(new Insets(8, 16, 4, 16));
        dialog.getDialogPane().setContent(body);
        dialog.getDialogPane().setPrefWidth(520);
        createButton.disableProperty().bind(model.valid.not().or(model.busy));
        closeOnEscapeFromAnyField();
    }

    /**
     * Escape closes the dialog whichever field has the focus: a text field with a formatter (the TTL) consumes Escape
     * itself, so the dialog's own Cancel never saw it. An open drop-down list closes first, as usual.
     */
    private void closeOnEscapeFromAnyField() {
        dialog.getDialogPane().addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && !provider.isShowing() && !profile.isShowing()) {
                e.consume();
                if (!wait.cancel()) { // a create that runs is stopped first; the dialog then says what may have happened
                    cancelButton.fire();
                }
            }
        });
    }


    private static Label label(String text, Node target) {
        Label l = new Label(text);
        l.setMnemonicParsing(true);
        l.setLabelFor(target);
        return l;
    }

    /** A provider; an unavailable one is disabled and says why. */
    private static final class ProviderCell extends ListCell<ProviderInfo> {
        @Override
        protected void updateItem(ProviderInfo p, boolean empty) {
            super.updateItem(p, empty);
            if (empty || p == null) {
                setText(null);
                setDisable(false);
                setTooltip(null);
                return;
            }
            setText(p.available() ? p.type().wireName()
                    : p.type().wireName() + " — unavailable: " + p.unavailableReason().orElse("no reason given"));
            setDisable(!p.available());
            setTooltip(p.available() ? null : new Tooltip(p.unavailableReason().orElse("")));
            getStyleClass().remove(Styles.TEXT_MUTED);
            if (!p.available()) {
                getStyleClass().add(Styles.TEXT_MUTED);
            }
        }
    }
}
