package dev.runnerdesk.ui.runners;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.ui.common.RoleGate;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/** The runner table with its toolbar, filter, state chips and the detail pane beside it, built in code. */
public final class RunnerListView {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    final BorderPane root = new BorderPane();
    final TableView<RunnerRow> table = new TableView<>();
    final CustomTextField filter = new CustomTextField();
    final Button createButton = new Button("_New runner", new FontIcon(Feather.PLUS));
    final Button refreshButton = new Button("", new FontIcon(Feather.REFRESH_CW));
    final Button terminateButton = new Button("_Terminate", new FontIcon(Feather.TRASH_2));
    final Button stopButton = new Button("_Stop sessions", new FontIcon(Feather.SQUARE));
    final Button emptyCreateButton = new Button("Create runner (Ctrl+N)", new FontIcon(Feather.PLUS));
    final Button clearFilterButton = new Button("Clear filter");
    final Map<RunnerState, ToggleButton> chips = new EnumMap<>(RunnerState.class);
    final SplitPane split = new SplitPane();
    final StackPane detailHolder = new StackPane();
    final Label status = new Label();
    final Label staleMark = new Label();
    final ProgressIndicator updatingMark = new ProgressIndicator();
    final Label emptyTitle = new Label();
    private final RunnerListModel model;
    /** Copies a runner id; set by the controller. */
    Consumer<String> onCopyId = id -> { };
    /** Where the divider goes when the detail pane appears (see {@link RunnerDetailLayout}). */
    DoubleSupplier detailDivider = () -> RunnerDetailLayout.DEFAULT_DIVIDER;

    RunnerListView(RunnerListModel model) {
        this.model = model;
        root.setId("runner-list");
        root.setTop(new VBox(header(), chipBar()));
        buildTable();
        detailHolder.setId("runner-detail-holder");
        detailHolder.setMinWidth(320);
        detailHolder.setPrefWidth(400);
        split.getItems().add(table);
        root.setCenter(split);
    }

    private Node header() {
        Label title = new Label("Runners");
        title.getStyleClass().add(Styles.TITLE_3);
        status.setId("runner-list-status");
        status.getStyleClass().add(Styles.TEXT_MUTED);
        updatingMark.setId("runner-list-updating");
        updatingMark.setPrefSize(16, 16);
        updatingMark.setMaxSize(16, 16);
        updatingMark.visibleProperty().bind(model.updating);
        updatingMark.managedProperty().bind(model.updating);
        updatingMark.setTooltip(new Tooltip("Updating — the rows shown stay until fresh data arrives"));
        staleMark.setId("runner-list-stale");
        staleMark.getStyleClass().addAll("stale-mark");
        staleMark.setGraphic(new FontIcon(Feather.CLOUD_OFF));
        staleMark.visibleProperty().bind(model.stale.and(model.loaded));
        staleMark.managedProperty().bind(staleMark.visibleProperty());
        staleMark.textProperty().bind(Bindings.createStringBinding(() -> model.lastLoaded.get() == null ? "Stale"
                : "Stale — as of " + CLOCK.format(model.lastLoaded.get()), model.lastLoaded));
        Label flash = new Label();
        flash.setId("runner-list-flash");
        flash.getStyleClass().add(Styles.TEXT_SUBTLE);
        flash.textProperty().bind(model.flash);

        filter.setId("runner-filter");
        filter.setPromptText("Filter runners (Ctrl+F)");
        filter.setLeft(new FontIcon(Feather.SEARCH));
        filter.setPrefWidth(240);
        filter.textProperty().bindBidirectional(model.filterText);
        filter.setTooltip(new Tooltip("Filter by runner id, provider, tool profile or any text (Ctrl+F)"));

        refreshButton.setId("refresh-runners");
        refreshButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        refreshButton.setTooltip(new Tooltip("Refresh (F5)"));
        stopButton.setId("stop-selected");
        stopButton.setMnemonicParsing(true);
        stopButton.setTooltip(new Tooltip("Stop the active sessions of the selected runners (Alt+S)"));
        terminateButton.setId("terminate-selected");
        terminateButton.setMnemonicParsing(true);
        terminateButton.getStyleClass().add(Styles.DANGER);
        terminateButton.setTooltip(new Tooltip("Terminate the selected runners (Delete)"));
        createButton.setId("create-runner");
        createButton.getStyleClass().add(Styles.ACCENT);
        createButton.setMnemonicParsing(true);
        createButton.setTooltip(new Tooltip("Create a runner (Ctrl+N)"));
        for (Node action : new Node[] {stopButton, terminateButton, createButton}) {
            action.visibleProperty().bind(model.actionsAllowed);
            action.managedProperty().bind(model.actionsAllowed);
        }
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(10, title, status, updatingMark, staleMark, flash, spacer, filter, refreshButton,
                RoleGate.wrap(stopButton, RoleGate.reason(model.role, Role.Permission.OPERATE, "stopping sessions")),
                RoleGate.wrap(terminateButton, RoleGate.reason(model.role, Role.Permission.ADMINISTER, "terminating runners")),
                RoleGate.wrap(createButton, RoleGate.reason(model.role, Role.Permission.ADMINISTER, "creating runners")));
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(14, 16, 8, 16));
        return header;
    }

    private Node chipBar() {
        HBox bar = new HBox(6);
        bar.setId("state-chips");
        bar.visibleProperty().bind(model.actionsAllowed);
        bar.managedProperty().bind(model.actionsAllowed);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 16, 10, 16));
        Label label = new Label("State:");
        label.getStyleClass().add(Styles.TEXT_MUTED);
        bar.getChildren().add(label);
        for (RunnerState s : RunnerState.values()) {
            ToggleButton chip = new ToggleButton();
            chip.setId("state-chip-" + s.wireName());
            chip.getStyleClass().addAll("state-chip", Styles.SMALL, Styles.ROUNDED);
            chip.textProperty().bind(Bindings.concat(s.wireName(), "  ", model.count(s).asString()));
            chip.setTooltip(new Tooltip("Show " + s.wireName() + " runners (with other chosen states)"));
            chip.setFocusTraversable(true);
            chip.selectedProperty().addListener((o, was, on) -> {
                if (on) {
                    model.stateFilter.add(s);
                } else {
                    model.stateFilter.remove(s);
                }
            });
            chips.put(s, chip);
            bar.getChildren().add(chip);
        }
        Button all = new Button("All");
        all.setId("state-chip-all");
        all.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        all.setTooltip(new Tooltip("Show runners of every state"));
        all.setOnAction(e -> chips.values().forEach(c -> c.setSelected(false)));
        bar.getChildren().add(all);
        return bar;
    }

    private void buildTable() {
        table.setId("runner-table");
        table.setItems(model.sorted);
        model.sorted.comparatorProperty().bind(table.comparatorProperty());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setTableMenuButtonVisible(true);
        table.setPlaceholder(placeholder());

        TableColumn<RunnerRow, Runner> id = column("id", "Runner", 195, Comparator.comparing(Runner::runnerId));
        id.setCellFactory(c -> new IdCell());
        TableColumn<RunnerRow, Runner> state = column("state", "State", 110, Comparator.comparing(Runner::state));
        state.setCellFactory(c -> new StateCell());
        TableColumn<RunnerRow, Runner> provider = textColumn("provider", "Provider", 90, r -> r.providerType().wireName());
        TableColumn<RunnerRow, Runner> profile = textColumn("profile", "Tool profile", 135, r -> r.toolProfile().wireName());
        TableColumn<RunnerRow, Runner> ttl = column("ttl", "TTL left", 85,
                Comparator.comparing((Runner r) -> r.state().isFinal()).thenComparing(Runner::expiresAt,
                        Comparator.nullsLast(Comparator.naturalOrder())));
        ttl.setCellFactory(c -> new TtlCell());
        TableColumn<RunnerRow, Runner> created = textColumn("created", "Created", 170, r -> TIME.format(r.createdAt()));
        created.setComparator(Comparator.comparing(Runner::createdAt));
        TableColumn<RunnerRow, Runner> session = textColumn("session", "Active session", 160,
                r -> r.activeSession().filter(Session::isActive).map(Session::sessionId).orElse("—"));
        table.getColumns().setAll(List.of(id, state, provider, profile, ttl, created, session));
    }

    private Node placeholder() {
        emptyTitle.setId("runner-list-empty");
        emptyTitle.getStyleClass().add(Styles.TITLE_4);
        emptyTitle.textProperty().bind(Bindings.createStringBinding(() -> {
            if (!model.actionsAllowed.get()) {
                return "Managed runners are not enabled for this account";
            }
            if (!model.loaded.get()) {
                return model.stale.get() ? "No data from this connection yet" : "Loading runners…";
            }
            return model.rows.isEmpty() ? "No runners yet" : "No runners match the filter";
        }, model.loaded, model.rows, model.stale, model.actionsAllowed));
        emptyCreateButton.setId("empty-create-runner");
        emptyCreateButton.getStyleClass().add(Styles.ACCENT);
        emptyCreateButton.visibleProperty().bind(model.loaded.and(Bindings.isEmpty(model.rows)).and(model.actionsAllowed));
        emptyCreateButton.managedProperty().bind(emptyCreateButton.visibleProperty());
        clearFilterButton.setId("clear-filter");
        clearFilterButton.visibleProperty().bind(model.loaded.and(Bindings.isNotEmpty(model.rows)));
        clearFilterButton.managedProperty().bind(clearFilterButton.visibleProperty());
        Label hint = new Label("No runners yet — Create runner (Ctrl+N)");
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        hint.visibleProperty().bind(emptyCreateButton.visibleProperty());
        hint.managedProperty().bind(hint.visibleProperty());
        VBox box = new VBox(10, emptyTitle, hint, emptyCreateButton, clearFilterButton);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    private TableColumn<RunnerRow, Runner> column(String id, String name, double width, Comparator<Runner> order) {
        TableColumn<RunnerRow, Runner> column = new TableColumn<>(name);
        column.setId(id);
        column.setPrefWidth(width);
        column.setCellValueFactory(c -> c.getValue().runner);
        column.setComparator(order);
        return column;
    }

    private TableColumn<RunnerRow, Runner> textColumn(String id, String name, double width, Function<Runner, String> text) {
        TableColumn<RunnerRow, Runner> column = column(id, name, width, Comparator.comparing(text));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Runner runner, boolean empty) {
                super.updateItem(runner, empty);
                setText(empty || runner == null ? null : text.apply(runner));
            }
        });
        return column;
    }

    /** Enter on the table, or a double click on a runner, opens its shell. */
    void setOnOpenShell(Runnable open) {
        table.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && !e.isShortcutDown() && !e.isAltDown()
                    && table.getSelectionModel().getSelectedItems().size() == 1) {
                e.consume();
                open.run();
            }
        });
        table.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && e.getTarget() instanceof Node target) {
                for (Node n = target; n != null && n != table; n = n.getParent()) {
                    if (n instanceof TableRow<?> row && !row.isEmpty()) {
                        open.run();
                        return;
                    }
                }
            }
        });
    }

    /** The detail pane sits beside the table while something is selected, and gives the table its room back after. */
    void showDetail(boolean show) {
        boolean shown = split.getItems().contains(detailHolder);
        if (show && !shown) {
            split.getItems().add(detailHolder);
            split.setDividerPositions(detailDivider.getAsDouble());
        } else if (!show && shown) {
            split.getItems().remove(detailHolder);
        }
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /** The id, copied to the clipboard by a plain click on it. */
    private final class IdCell extends TableCell<RunnerRow, Runner> {
        private final Label label = new Label();

        IdCell() {
            label.setGraphic(new FontIcon(Feather.COPY));
            label.setContentDisplay(ContentDisplay.RIGHT);
            label.getStyleClass().add("runner-id");
            label.setCursor(Cursor.HAND);
            label.setTooltip(new Tooltip("Click to copy the runner id"));
            label.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 1 && !e.isShortcutDown()
                        && !e.isShiftDown() && getItem() != null) {
                    onCopyId.accept(getItem().runnerId());
                }
            });
        }

        @Override
        protected void updateItem(Runner runner, boolean empty) {
            super.updateItem(runner, empty);
            if (empty || runner == null) {
                setGraphic(null);
                return;
            }
            label.setText(runner.runnerId());
            setGraphic(label);
        }
    }

    /** TTL left, ticking with the model's clock. */
    private final class TtlCell extends TableCell<RunnerRow, Runner> {
        private final ChangeListener<Instant> onTick = (o, was, now) -> render();
        TtlCell() {
            getStyleClass().add("ttl-cell");
            model.now.addListener(new WeakChangeListener<>(onTick));
        }

        @Override
        protected void updateItem(Runner runner, boolean empty) {
            super.updateItem(runner, empty);
            render();
        }

        private void render() {
            Runner runner = getItem();
            if (isEmpty() || runner == null) {
                setText(null);
                return;
            }
            setText(runner.state().isFinal() ? "—" : format(runner.remaining(model.now.get())));
        }
    }

    /** State as a badge: colour and text, never colour alone. */
    static final class StateCell extends TableCell<RunnerRow, Runner> {
        private final Label badge = new Label();

        @Override
        protected void updateItem(Runner runner, boolean empty) {
            super.updateItem(runner, empty);
            if (empty || runner == null) {
                setGraphic(null);
                return;
            }
            StateBadge.style(badge, runner.state());
            setGraphic(badge);
        }
    }

}
