package dev.runnerdesk.ui.connections;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Consumer;

/** The Connections section of Settings: the profiles, their keys (masked), and add / edit / test / connect. */
final class ConnectionsView {
    final VBox root = new VBox(10);
    final ListView<ConnectionProfile> list = new ListView<>();
    final Button addButton = new Button("_Add gateway…", new FontIcon(Feather.PLUS));
    final Button editButton = new Button("_Edit…", new FontIcon(Feather.EDIT_2));
    final Button removeButton = new Button("Remo_ve", new FontIcon(Feather.TRASH_2));
    final Button testButton = new Button("T_est", new FontIcon(Feather.ACTIVITY));
    final Button connectButton = new Button("_Connect", new FontIcon(Feather.LINK));
    final Label keysNotice = new Label();
    /** Test's wait: on what, for how long, and Cancel. */
    final WaitIndicator testWait = new WaitIndicator("profile-test-wait", true);
    Consumer<ConnectionProfile> onCopyKey = p -> { };

    ConnectionsView(ConnectionsModel model, ReadOnlyObjectProperty<ConnectionProfile> active) {
        root.setId("connections");
        Label title = new Label("Connections");
        title.getStyleClass().add(Styles.TITLE_4);
        Label intro = new Label("Where your runners live: this computer (no account needed) or a runners gateway "
                + "reached with an API key.");
        intro.setWrapText(true);
        intro.getStyleClass().add(Styles.TEXT_MUTED);

        keysNotice.setId("keys-in-memory-notice");
        keysNotice.setWrapText(true);
        keysNotice.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        keysNotice.getStyleClass().addAll("notice", "notice-warning");
        keysNotice.textProperty().bind(Bindings.createStringBinding(() -> "Gateway API keys are kept for this run only and "
                + "must be entered again after a restart" + (model.keysLimitation.get().isBlank() ? ""
                : " (" + model.keysLimitation.get() + ")") + ". “Where keys are kept” below can keep them in a file.",
                model.keysLimitation));
        keysNotice.visibleProperty().bind(model.keysPersistent.not());
        keysNotice.managedProperty().bind(keysNotice.visibleProperty());
        keysNotice.setMaxWidth(Double.MAX_VALUE);

        list.setId("profile-list");
        list.setItems(model.profiles);
        list.setPrefHeight(220);
        list.setCellFactory(l -> new ProfileCell(model, active));
        model.selected.bind(list.getSelectionModel().selectedItemProperty());
        active.addListener((o, was, now) -> list.refresh());
        model.maskedKeys.addListener((MapChangeListener<String, String>) c -> list.refresh());

        addButton.setId("profile-add");
        addButton.setTooltip(new Tooltip("Add a gateway profile: name, URL and API key"));
        editButton.setId("profile-edit");
        removeButton.setId("profile-remove");
        testButton.setId("profile-test");
        testButton.setTooltip(new Tooltip("Open the connection and ask who you are there: role and beta access"));
        connectButton.setId("profile-connect");
        connectButton.getStyleClass().add(Styles.ACCENT);
        connectButton.setTooltip(new Tooltip("Switch the app to this connection"));
        for (Button b : new Button[] {addButton, editButton, removeButton, testButton, connectButton}) {
            b.setMnemonicParsing(true);
        }
        var gatewaySelected = Bindings.createBooleanBinding(() -> model.selected.get() != null
                && model.selected.get().kind() == ConnectionProfile.Kind.GATEWAY, model.selected);
        editButton.disableProperty().bind(gatewaySelected.not());
        removeButton.disableProperty().bind(gatewaySelected.not());
        testButton.disableProperty().bind(model.selected.isNull().or(model.testing));
        connectButton.disableProperty().bind(model.selected.isNull().or(Bindings.createBooleanBinding(
                () -> model.selected.get() != null && active.get() != null && model.selected.get().id().equals(active.get().id()),
                model.selected, active)));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, addButton, editButton, removeButton, spacer, testButton, connectButton);

        Label result = new Label();
        result.setId("profile-test-result");
        result.setWrapText(true);
        result.textProperty().bind(model.testResult);
        model.testFailed.addListener((o, was, failed) -> {
            result.getStyleClass().removeAll(Styles.DANGER, Styles.SUCCESS);
            result.getStyleClass().add(failed ? Styles.DANGER : Styles.SUCCESS);
        });
        HBox resultLine = new HBox(8, testWait.view(), result);
        resultLine.setAlignment(Pos.CENTER_LEFT);

        root.getChildren().addAll(title, intro, keysNotice, list, buttons, resultLine);
        root.setPadding(new Insets(0, 0, 8, 0));
    }

    /** A profile: name, where it points, whether it is the one in use, and its key masked with a copy button. */
    private final class ProfileCell extends ListCell<ConnectionProfile> {
        private final ConnectionsModel model;
        private final ReadOnlyObjectProperty<ConnectionProfile> active;

        ProfileCell(ConnectionsModel model, ReadOnlyObjectProperty<ConnectionProfile> active) {
            this.model = model;
            this.active = active;
        }

        @Override
        protected void updateItem(ConnectionProfile p, boolean empty) {
            super.updateItem(p, empty);
            setText(null);
            if (empty || p == null) {
                setGraphic(null);
                return;
            }
            Label name = new Label(p.name(), new FontIcon(p.kind() == ConnectionProfile.Kind.EMBEDDED ? Feather.MONITOR : Feather.GLOBE));
            name.getStyleClass().add(Styles.TEXT_BOLD);
            Label where = new Label(p.kind() == ConnectionProfile.Kind.EMBEDDED ? "embedded runtime, no account"
                    : p.baseUrl().orElse("") + (p.allowInsecure() ? "  (insecure allowed)" : ""));
            where.getStyleClass().add(Styles.TEXT_MUTED);
            HBox line = new HBox(10, name, where);
            line.setAlignment(Pos.CENTER_LEFT);
            if (active.get() != null && active.get().id().equals(p.id())) {
                Label inUse = new Label("in use");
                inUse.getStyleClass().addAll("state-badge", "state-ready");
                line.getChildren().add(inUse);
            }
            if (p.kind() == ConnectionProfile.Kind.GATEWAY) {
                Region spacer = new Region();
                HBox.setHgrow(spacer, Priority.ALWAYS);
                String masked = model.maskedKeys.get(p.id());
                Label key = new Label(masked == null ? "no API key" : "key " + masked);
                key.setId("profile-key-" + p.id());
                key.getStyleClass().addAll(Styles.TEXT_MUTED, "monospace");
                line.getChildren().addAll(spacer, key);
                if (masked != null) {
                    Button copy = new Button("", new FontIcon(Feather.COPY));
                    copy.setId("profile-copy-key-" + p.id());
                    copy.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
                    copy.setAccessibleText("Copy the API key of " + p.name());
                    copy.setTooltip(new Tooltip("Copy the API key to the clipboard"));
                    copy.setOnAction(e -> onCopyKey.accept(p));
                    line.getChildren().add(copy);
                }
            }
            setGraphic(line);
        }
    }
}
