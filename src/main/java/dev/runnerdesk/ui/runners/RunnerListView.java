package dev.runnerdesk.ui.runners;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableStringValue;
import javafx.beans.value.WeakChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
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
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The runner table with its header (actions fitted to the width), state chips, row actions (menu and hover buttons),
 * the first-start empty state, and the detail pane beside it; built in code.
 */
public final class RunnerListView {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    final BorderPane root = new BorderPane();
    final TableView<RunnerRow> table = new TableView<>();
    final CustomTextField filter = new CustomTextField();
    final Button createButton = new Button("_New runner", new FontIcon(Feather.PLUS));
    final Button refreshButton = new Button("", new FontIcon(Feather.REFRESH_CW));
    final Button terminateButton = new Button("_Terminate", new FontIcon(Feather.TRASH_2));
    final Button stopButton = new Button("_Stop sessions", new FontIcon(Feather.STOP_CIRCLE));
    final Button clearFilterButton = new Button("Clear filter");
    final SplitPane split = new SplitPane();
    final StackPane detailHolder = new StackPane();
    final Label status = new Label();
    final Label staleMark = new Label();
    final ProgressIndicator updatingMark = new ProgressIndicator();
    /** A load that takes a while: what it waits for, for how long, and Cancel. */
    final WaitIndicator wait = new WaitIndicator("runner-list-wait", false);
    /** An action (start, stop, terminate) that takes a while: the same, for the newest one. */
    final WaitIndicator actionWait = new WaitIndicator("runner-action-wait", false);
    final Label emptyTitle = new Label();
    final RunnerListToolbar header;
    final RunnerListChips chips;
    final RunnerListEmptyState emptyState;
    final RunnerListRowMenu rowMenu;
    final RunnerListColumns columns;
    /** Optional, hidden until turned on from the column menu. */
    TableColumn<RunnerRow, MetricsSample> cpuColumn;
    TableColumn<RunnerRow, MetricsSample> memoryColumn;
    private final RunnerListModel model;
    /** Where the divider goes when the detail pane appears (see {@link RunnerDetailLayout}). */
    DoubleSupplier detailDivider = () -> RunnerDetailLayout.DEFAULT_DIVIDER;
    /** What may be done to a runner; set by the controller. */
    Function<Runner, List<RunnerRowAction>> rowActions = r -> List.of();
    /** Says briefly why a key did nothing; set by the controller. */
    Consumer<String> onExplain = text -> { };

    RunnerListView(RunnerListModel model) {
        this.model = model;
        root.setId("runner-list");
        header = header();
        chips = new RunnerListChips(model);
        chips.visibleProperty().bind(model.actionsAllowed);
        chips.managedProperty().bind(model.actionsAllowed);
        VBox.setMargin(wait.view(), new Insets(0, 12, 4, 12));
        VBox.setMargin(actionWait.view(), new Insets(0, 12, 4, 12));
        root.setTop(new VBox(header, chips, wait.view(), actionWait.view()));
        emptyState = new RunnerListEmptyState(model);
        rowMenu = new RunnerListRowMenu(table, r -> rowActions.apply(r), text -> onExplain.accept(text));
        columns = buildTable();
        detailHolder.setId("runner-detail-holder");
        detailHolder.setMinWidth(320);
        detailHolder.setPrefWidth(400);
        split.getItems().add(table);
        root.setCenter(split);
    }

    private RunnerListToolbar header() {
        Label title = new Label("Runners");
        title.getStyleClass().add(Styles.TITLE_3);
        title.setAccessibleRole(AccessibleRole.TEXT);
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
        filter.setPromptText("Filter (Ctrl+F)");
        filter.setAccessibleText("Filter runners");
        filter.setLeft(new FontIcon(Feather.SEARCH));
        filter.setPrefWidth(240);
        filter.setMinWidth(130);
        filter.textProperty().bindBidirectional(model.filterText);
        filter.setTooltip(new Tooltip("Filter by runner id, provider, tool profile or any text (Ctrl+F)"));

        refreshButton.setId("refresh-runners");
        refreshButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        refreshButton.setTooltip(new Tooltip("Refresh (F5)"));
        refreshButton.setAccessibleText("Refresh");
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
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox.setHgrow(flash, Priority.SOMETIMES);
        RunnerListToolbar bar = new RunnerListToolbar(List.of(title, status, updatingMark, staleMark), List.of(flash, spacer), filter);
        bar.setId("runner-list-header");
        ObservableStringValue stopWhy = RoleGate.reason(model.role, Role.Permission.OPERATE, "stopping sessions");
        ObservableStringValue terminateWhy = RoleGate.reason(model.role, Role.Permission.ADMINISTER, "terminating runners");
        ObservableStringValue roleCreateWhy = RoleGate.reason(model.role, Role.Permission.ADMINISTER, "creating runners");
        // not connected comes first: it is why creating fails whatever the role
        ObservableStringValue createWhy = Bindings.createStringBinding(() -> !model.connected.get()
                ? (model.offlineReason.get().isEmpty() ? "not connected" : model.offlineReason.get()) : roleCreateWhy.get(),
                model.connected, model.offlineReason, roleCreateWhy);
        BooleanBinding always = Bindings.createBooleanBinding(() -> true);
        bar.add(refreshButton, refreshButton, 2, always, Bindings.createStringBinding(() -> ""));
        bar.add(stopButton, RoleGate.wrap(stopButton, stopWhy), 0, model.actionsAllowed, stopWhy);
        bar.add(terminateButton, RoleGate.wrap(terminateButton, terminateWhy), 1, model.actionsAllowed, terminateWhy);
        bar.add(createButton, RoleGate.wrap(createButton, createWhy), 3, model.actionsAllowed, createWhy);
        return bar;
    }

    private RunnerListColumns buildTable() {
        table.setId("runner-table");
        table.setAccessibleText("Runners");
        table.setItems(model.sorted);
        model.sorted.comparatorProperty().bind(table.comparatorProperty());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setTableMenuButtonVisible(true);
        table.setPlaceholder(placeholder());

        TableColumn<RunnerRow, Runner> id = column("id", "Runner", 185, Comparator.comparing(Runner::runnerId));
        id.setCellFactory(c -> new IdCell());
        TableColumn<RunnerRow, Runner> state = column("state", "State", 110, Comparator.comparing(Runner::state));
        state.setCellFactory(c -> new StateCell());
        TableColumn<RunnerRow, Runner> actions = column("actions", "Actions", 130, Comparator.comparing(Runner::runnerId));
        actions.setSortable(false);
        actions.setCellFactory(c -> new RunnerListActionCell(model, r -> rowActions.apply(r), rowMenu));
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
        cpuColumn = RunnerListMetrics.cpuColumn();
        memoryColumn = RunnerListMetrics.memoryColumn();
        table.getColumns().setAll(List.of(id, state, provider, profile, ttl, created, session, cpuColumn, memoryColumn, actions));
        // what gives way first when the table is narrow: the creation time, then the session, the profile, ...
        // (the CPU and memory columns, shown only by the person's choice, are never hidden for room)
        return new RunnerListColumns(table, List.of(id, state, actions, ttl, provider, profile, session, created), 2,
                List.of(cpuColumn, memoryColumn));
    }

    /** What the table shows without rows: the first-start steps, or why nothing is shown (loading, filter, beta). */
    private Node placeholder() {
        emptyTitle.setId("runner-list-empty");
        emptyTitle.getStyleClass().add(Styles.TITLE_4);
        emptyTitle.textProperty().bind(Bindings.createStringBinding(() -> {
            if (!model.actionsAllowed.get()) {
                return "Managed runners are not enabled for this account";
            }
            if (!model.loaded.get()) {
                return !model.loadProblem.get().isEmpty() ? model.loadProblem.get()
                        : model.stale.get() ? "No data from this connection yet" : "Loading runners…";
            }
            return model.rows.isEmpty() ? "" : "No runners match the filter";
        }, model.loaded, model.rows, model.stale, model.actionsAllowed, model.loadProblem));
        emptyTitle.setWrapText(true);
        BooleanBinding firstStart = model.loaded.and(Bindings.isEmpty(model.rows)).and(model.actionsAllowed);
        emptyState.visibleProperty().bind(firstStart);
        emptyState.managedProperty().bind(firstStart);
        clearFilterButton.setId("clear-filter");
        clearFilterButton.visibleProperty().bind(model.loaded.and(Bindings.isNotEmpty(model.rows)));
        clearFilterButton.managedProperty().bind(clearFilterButton.visibleProperty());
        VBox message = new VBox(10, emptyTitle, clearFilterButton);
        message.setAlignment(Pos.CENTER);
        message.visibleProperty().bind(firstStart.not());
        message.managedProperty().bind(message.visibleProperty());
        ScrollPane scroll = new ScrollPane(new StackPane(emptyState));
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.getStyleClass().add(Styles.FLAT);
        scroll.visibleProperty().bind(firstStart);
        return new StackPane(message, scroll);
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

    /**
     * The id. A click selects the row and nothing else: copying is an explicit action (hover button, row menu,
     * Ctrl+C), so selecting a row never overwrites the clipboard.
     */
    private static final class IdCell extends TableCell<RunnerRow, Runner> {
        IdCell() {
            getStyleClass().add("runner-id");
        }

        @Override
        protected void updateItem(Runner runner, boolean empty) {
            super.updateItem(runner, empty);
            setText(empty || runner == null ? null : runner.runnerId());
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
