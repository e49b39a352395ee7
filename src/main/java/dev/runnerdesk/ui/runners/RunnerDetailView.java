package dev.runnerdesk.ui.runners;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;

/**
 * The selected runner: properties, state history, session actions (its terminal opens in the Sessions drawer), last
 * events, and the Screen of a computer-use runner.
 */
final class RunnerDetailView {
    final StackPane root = new StackPane();
    final Button startButton = new Button("Start session", new FontIcon(Feather.PLAY));
    /** The session's own TTL in seconds; empty: the runner's. */
    final TextField sessionTtl = new TextField();
    final Button stopButton = new Button("Stop session", new FontIcon(Feather.STOP_CIRCLE));
    final Button terminateButton = new Button("Terminate", new FontIcon(Feather.TRASH_2));
    final Button openTerminalButton = new Button("Open terminal", new FontIcon(Feather.TERMINAL));
    final Button copyIdButton = new Button("", new FontIcon(Feather.COPY));
    final Button timelineButton = new Button("Open in timeline", new FontIcon(Feather.LIST));
    final TabPane tabs = new TabPane();
    final Tab overview = new Tab("Overview");
    final Tab eventsTab = new Tab("Events");
    /** The live screen of a computer-use runner; in the tabs only for those. */
    final Tab screenTab = new Tab("Screen", new FontIcon(Feather.MONITOR));
    /** The runner's workspace: browse, upload, download, preview. */
    final Tab filesTab = new Tab("Files", new FontIcon(Feather.FOLDER));
    /** CPU, memory, disk and processes of the last 15 minutes. */
    final Tab metricsTab = new Tab("Metrics", new FontIcon(Feather.ACTIVITY));
    final Label title = new Label();
    final Label badge = new Label();
    final GridPane properties = new GridPane();
    final VBox historyBox = new VBox(4);
    final Label none = new Label("Select a runner to see its details");
    final VBox content = new VBox(10);
    final FlowPane actions;
    /** The runner's events loading a while: what the load waits for, for how long, and Cancel (seen from any tab). */
    final WaitIndicator eventsWait = new WaitIndicator("detail-events-wait", false);
    private final RunnerDetailModel model;

    RunnerDetailView(RunnerDetailModel model) {
        this.model = model;
        root.setId("runner-detail");
        none.setId("runner-detail-none");
        none.getStyleClass().add(Styles.TEXT_MUTED);
        none.textProperty().bind(Bindings.createStringBinding(() -> model.selectedCount.get() > 1
                ? model.selectedCount.get() + " runners selected — Delete terminates them, “Stop sessions” stops theirs"
                : "Select a runner to see its details", model.selectedCount));
        none.setWrapText(true);
        none.setPadding(new Insets(24));

        title.setId("detail-runner-id");
        title.getStyleClass().add(Styles.TITLE_4);
        copyIdButton.setId("detail-copy-id");
        copyIdButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        copyIdButton.setTooltip(new Tooltip("Copy the runner id"));
        title.setMinWidth(Region.USE_PREF_SIZE); // the id whole; the badge wraps under it in a narrow pane
        FlowPane head = new FlowPane(8, 4, title, copyIdButton, badge);
        head.setAlignment(Pos.CENTER_LEFT);

        startButton.setId("detail-start-session");
        startButton.setTooltip(new Tooltip("Start a session on this runner"));
        stopButton.setId("detail-stop-session");
        stopButton.setTooltip(new Tooltip("Stop the active session"));
        terminateButton.setId("detail-terminate");
        terminateButton.getStyleClass().add(Styles.DANGER);
        terminateButton.setTooltip(new Tooltip("Terminate this runner (Delete)"));
        sessionTtl.setId("detail-session-ttl");
        sessionTtl.setPromptText("TTL (s)");
        sessionTtl.setPrefColumnCount(6);
        sessionTtl.getStyleClass().add(Styles.SMALL);
        sessionTtl.setAccessibleText("Session TTL in seconds");
        sessionTtl.setTooltip(new Tooltip("The session's own lifetime in seconds (" + CreateRunnerRequest.TTL.span()
                + ", at most the profile's maximum TTL); empty: the runner's. With E2B it extends the sandbox."));
        openTerminalButton.setId("detail-open-terminal");
        openTerminalButton.getStyleClass().add(Styles.ACCENT);
        openTerminalButton.setTooltip(new Tooltip("Open the session's terminal in the Sessions drawer (Enter on the runner)"));
        for (Button b : new Button[] {openTerminalButton, startButton, stopButton, terminateButton}) {
            b.getStyleClass().add(Styles.SMALL);
            b.setMinWidth(Region.USE_PREF_SIZE); // wrap to a new line rather than cut a label
        }
        // a row of buttons that wraps in a narrow pane instead of cutting them
        actions = new FlowPane(6, 6, openTerminalButton, startButton, stopButton, terminateButton);

        properties.setId("detail-properties");
        properties.setHgap(12);
        properties.setVgap(4);
        Label historyTitle = new Label("State history");
        historyTitle.getStyleClass().add(Styles.TEXT_BOLD);
        historyBox.setId("detail-state-history");
        VBox overviewBox = new VBox(12, properties, historyTitle, historyBox);
        overviewBox.setPadding(new Insets(10, 4, 10, 4));
        ScrollPane overviewScroll = new ScrollPane(overviewBox);
        overviewScroll.setFitToWidth(true);
        overview.setContent(overviewScroll);
        overview.setClosable(false);
        overview.setId("detail-tab-overview");

        ListView<AuditEvent> events = new ListView<>(model.events);
        events.setId("detail-events");
        events.setCellFactory(l -> new EventCell());
        Label eventsStatus = new Label();
        eventsStatus.getStyleClass().add(Styles.TEXT_MUTED);
        eventsStatus.textProperty().bind(model.eventsStatus);
        timelineButton.setId("detail-open-timeline");
        timelineButton.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        timelineButton.setTooltip(new Tooltip("Every event of this runner, with filters, chain check and export (Ctrl+2)"));
        VBox eventsBox = new VBox(4, eventsStatus, events, timelineButton);
        VBox.setVgrow(events, Priority.ALWAYS);
        eventsBox.setPadding(new Insets(6, 0, 0, 0));
        eventsStatus.setWrapText(true);
        eventsTab.setContent(eventsBox);
        eventsTab.setClosable(false);
        eventsTab.setId("detail-tab-events");
        screenTab.setId("detail-tab-screen");
        screenTab.setClosable(false);
        screenTab.setTooltip(new Tooltip("The agent's screen after each action, live"));
        filesTab.setId("detail-tab-files");
        filesTab.setClosable(false);
        filesTab.setTooltip(new Tooltip("The runner's workspace: browse, upload, download and preview files"));
        metricsTab.setId("detail-tab-metrics");
        metricsTab.setClosable(false);
        metricsTab.setTooltip(new Tooltip("CPU, memory, disk and processes of the last 15 minutes"));
        tabs.setId("detail-tabs");
        tabs.getTabs().addAll(overview, eventsTab, filesTab, metricsTab);
        VBox.setVgrow(tabs, Priority.ALWAYS);

        content.getChildren().addAll(head, actions, eventsWait.view(), tabs);
        content.setPadding(new Insets(12));
        root.getChildren().addAll(none, content);
        content.visibleProperty().bind(model.runner.isNotNull());
        none.visibleProperty().bind(model.runner.isNull());
        model.runner.addListener((o, was, now) -> render(now));
        model.history.addListener((ListChangeListener<RunnerDetailModel.StateChange>) c -> renderHistory());
    }

    private void render(Runner r) {
        if (r == null) {
            return;
        }
        title.setText(r.runnerId());
        StateBadge.style(badge, r.state());
        properties.getChildren().clear();
        int row = 0;
        row = property(row, "Provider", r.providerType().wireName());
        row = property(row, "Tool profile", r.toolProfile().wireName() + " — " + r.toolProfile().description());
        row = property(row, "TTL", r.ttlSeconds() + " s");
        row = property(row, "Created", RunnerListView.TIME.format(r.createdAt()));
        if (r.expiresAt() != null) {
            row = property(row, r.state().isFinal() ? "Was due" : "Expires", RunnerListView.TIME.format(r.expiresAt()));
        }
        row = property(row, "Image", r.imageRef().orElse("default"));
        row = property(row, "Active session", r.activeSession().filter(Session::isActive).map(Session::sessionId).orElse("none"));
        if (r.error().isPresent()) {
            row = property(row, "Error", r.error().get());
        }
        Label isolationName = new Label("Isolation");
        isolationName.getStyleClass().add(Styles.TEXT_MUTED);
        GridPane.setValignment(isolationName, VPos.TOP);
        Label isolation = new Label();
        isolation.setId("detail-isolation");
        isolation.setWrapText(true);
        isolation.textProperty().bind(model.isolation);
        for (Label l : List.of(isolationName, isolation)) {
            l.visibleProperty().bind(model.isolation.isNotEmpty());
            l.managedProperty().bind(l.visibleProperty());
        }
        properties.addRow(row, isolationName, isolation);
    }

    private int property(int row, String name, String value) {
        Label n = new Label(name);
        n.getStyleClass().add(Styles.TEXT_MUTED);
        n.setMinWidth(Region.USE_PREF_SIZE);
        Label v = new Label(value);
        v.setWrapText(true);
        v.setId("detail-" + name.toLowerCase().replace(' ', '-'));
        properties.addRow(row, n, v);
        return row + 1;
    }

    private void renderHistory() {
        historyBox.getChildren().clear();
        for (RunnerDetailModel.StateChange c : model.history) {
            Label at = new Label(RunnerListView.CLOCK.format(c.at()));
            at.getStyleClass().add(Styles.TEXT_MUTED);
            at.setMinWidth(Region.USE_PREF_SIZE);
            at.setTooltip(new Tooltip(RunnerListView.TIME.format(c.at())));
            Label badge = StateBadge.of(c.state());
            badge.setMinWidth(Region.USE_PREF_SIZE);
            Label cause = new Label(c.cause());
            cause.getStyleClass().add(Styles.TEXT_SUBTLE);
            cause.setTooltip(new Tooltip(c.cause()));
            HBox line = new HBox(8, at, badge, cause);
            line.setAlignment(Pos.CENTER_LEFT);
            historyBox.getChildren().add(line);
        }
        if (model.history.isEmpty()) {
            historyBox.getChildren().add(new Label("—"));
        }
    }

    /** Shows the Screen tab (after Events) or takes it away. */
    void showScreenTab(boolean show) {
        boolean shown = tabs.getTabs().contains(screenTab);
        if (show && !shown) {
            tabs.getTabs().add(tabs.getTabs().indexOf(eventsTab) + 1, screenTab);
        } else if (!show && shown) {
            boolean wasSelected = screenTab.isSelected();
            tabs.getTabs().remove(screenTab);
            if (wasSelected) {
                // not the neighbour the tab pane would pick (Events): the runner's overview
                tabs.getSelectionModel().select(overview);
            }
        }
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        return l;
    }

    Node node() {
        return root;
    }

    private static final class EventCell extends ListCell<AuditEvent> {
        @Override
        protected void updateItem(AuditEvent e, boolean empty) {
            super.updateItem(e, empty);
            if (empty || e == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Label type = new Label(e.eventType());
            type.getStyleClass().add(Styles.TEXT_BOLD);
            Label meta = new Label("#" + e.seq() + "  " + RunnerListView.CLOCK.format(e.timestamp()) + "  " + e.actor()
                    + e.sessionId().map(s -> "  " + s).orElse(""));
            meta.getStyleClass().add(Styles.TEXT_MUTED);
            FlowPane line = new FlowPane(8, 0, type, meta);
            setText(null);
            setGraphic(line);
        }
    }
}
