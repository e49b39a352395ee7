package dev.runnerdesk.ui.runners;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/** The runner table with its toolbar, built in code. */
public final class RunnerListView {
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    final BorderPane root = new BorderPane();
    final TableView<Runner> table = new TableView<>();
    final Button createButton = new Button("_New fake runner", new FontIcon(Feather.PLUS));
    final Button refreshButton = new Button("", new FontIcon(Feather.REFRESH_CW));

    RunnerListView(RunnerListModel model) {
        Label title = new Label("Runners");
        title.getStyleClass().add(Styles.TITLE_3);
        Label status = new Label();
        status.getStyleClass().add(Styles.TEXT_MUTED);
        status.textProperty().bind(model.status);
        createButton.setId("create-runner");
        createButton.getStyleClass().add(Styles.ACCENT);
        createButton.setMnemonicParsing(true);
        createButton.setTooltip(new Tooltip("Create a runner on the fake provider (locked profile, 1 h)"));
        refreshButton.setId("refresh-runners");
        refreshButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        refreshButton.setTooltip(new Tooltip("Refresh (F5)"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(12, title, status, spacer, refreshButton, createButton);
        header.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        header.setPadding(new Insets(16, 16, 12, 16));

        table.setId("runner-table");
        table.setItems(model.runners);
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No runners yet — create one with “New fake runner”."));
        table.getColumns().add(column("Runner", 180, Runner::runnerId));
        TableColumn<Runner, Runner> state = new TableColumn<>("State");
        state.setPrefWidth(120);
        state.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        state.setCellFactory(c -> new StateCell());
        table.getColumns().add(state);
        table.getColumns().add(column("Provider", 110, r -> r.providerType().wireName()));
        table.getColumns().add(column("Profile", 130, r -> r.toolProfile().wireName()));
        TableColumn<Runner, String> ttl = new TableColumn<>("TTL left");
        ttl.setPrefWidth(100);
        ttl.setCellValueFactory(c -> Bindings.createStringBinding(
                () -> c.getValue().state().isFinal() ? "—" : format(c.getValue().remaining(model.now.get())), model.now));
        table.getColumns().add(ttl);
        table.getColumns().add(column("Created", 170, r -> CREATED.format(r.createdAt())));
        table.getColumns().add(column("Session", 150, r -> r.activeSession().map(Session::sessionId).orElse("—")));

        VBox.setVgrow(table, Priority.ALWAYS);
        root.setTop(header);
        root.setCenter(table);
    }

    private static TableColumn<Runner, String> column(String name, double width, Function<Runner, String> value) {
        TableColumn<Runner, String> column = new TableColumn<>(name);
        column.setPrefWidth(width);
        column.setCellValueFactory(c -> new ReadOnlyStringWrapper(value.apply(c.getValue())));
        return column;
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /** State as a badge: colour and text, never colour alone. */
    private static final class StateCell extends TableCell<Runner, Runner> {
        private final Label badge = new Label();

        StateCell() {
            badge.getStyleClass().add("state-badge");
        }

        @Override
        protected void updateItem(Runner runner, boolean empty) {
            super.updateItem(runner, empty);
            if (empty || runner == null) {
                setGraphic(null);
                return;
            }
            RunnerState s = runner.state();
            badge.setText(s.wireName());
            badge.getStyleClass().removeIf(c -> c.startsWith("state-") && !c.equals("state-badge"));
            badge.getStyleClass().add("state-" + s.wireName());
            setGraphic(badge);
        }
    }
}
