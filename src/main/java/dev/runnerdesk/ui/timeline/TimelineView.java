package dev.runnerdesk.ui.timeline;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.ui.screen.ComputerAction;
import dev.runnerdesk.ui.screen.ScreenshotPane;
import dev.runnerdesk.ui.screen.Screenshots;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The timeline built in code: toolbar, filter bar and query line, the paged event table and the detail pane. */
final class TimelineView {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    final BorderPane root = new BorderPane();
    final TableView<AuditEvent> table = new TableView<>();
    final Label title = new Label("Timeline");
    final Label status = new Label();
    final ProgressIndicator loadingMark = new ProgressIndicator();
    final Label chainBadge = new Label() {
        @Override
        protected double computeMinWidth(double height) {
            // all of "verified and signed to seq 12,345 · 2 min ago" stays; a long problem ends in an ellipsis
            return Math.min(computePrefWidth(height), 460);
        }
    };
    final ToggleButton followToggle = new ToggleButton("Follow", new FontIcon(Feather.ARROW_UP_CIRCLE));
    final MenuButton exportButton = new MenuButton("Export", new FontIcon(Feather.DOWNLOAD));
    final Map<ExportFormat, MenuItem> exportItems = new EnumMap<>(ExportFormat.class);
    final Button refreshButton = new Button("", new FontIcon(Feather.REFRESH_CW));
    final MenuButton typesButton = new MenuButton("All types");
    final Map<String, CheckBox> typeChecks = new LinkedHashMap<>();
    final Map<TypePreset, Button> presetButtons = new EnumMap<>(TypePreset.class);
    final Button allTypesButton = new Button("All types");
    final TextField runnerField = new TextField();
    final TextField sessionField = new TextField();
    final TextField actorField = new TextField();
    final ComboBox<TimeRange> rangeBox = new ComboBox<>();
    final TextField fromField = new TextField();
    final TextField toField = new TextField();
    final CustomTextField searchField = new CustomTextField();
    final Label queryLine = new Label();
    final Label filterProblem = new Label();
    final Button clearButton = new Button("Clear", new FontIcon(Feather.X));
    final Button jumpButton = new Button();
    final SplitPane split = new SplitPane();
    // detail pane
    final VBox detail = new VBox(10);
    final Label detailNone = new Label("Select an event to see every field");
    final GridPane detailFields = new GridPane();
    final Hyperlink runnerLink = new Hyperlink();
    final Hyperlink sessionLink = new Hyperlink();
    final Button filterRunnerButton = new Button("Only this runner");
    final Button filterSessionButton = new Button("Only this session");
    final TextArea dataArea = new TextArea();
    final VBox recordingsBox = new VBox(4);
    // the screenshot of a computer.action event
    final VBox screenshotBox = new VBox(6);
    final Label screenshotCaption = new Label();
    final ScreenshotPane screenshot = new ScreenshotPane(true);
    final Button fullSizeButton = new Button("Open full size", new FontIcon(Feather.MAXIMIZE_2));
    /** The action whose screenshot the pane shows or waits for. */
    ComputerAction shownAction;
    /** Asks for the screenshot of a computer action (the controller loads it off the FX thread). */
    java.util.function.Consumer<ComputerAction> onScreenshot = a -> { };
    /** Opens the screenshot shown at full size. */
    java.util.function.BiConsumer<ComputerAction, javafx.scene.image.Image> onFullSize = (a, i) -> { };
    /** Replays recording {@code index} (from 1) of a session.stopped event. */
    java.util.function.BiConsumer<AuditEvent, Integer> onReplay = (event, index) -> { };
    private final Node detailHolder;
    private final TimelineModel model;

    /**
     * The chain badge and {@code verifyButton} have a line of their own under the header (the badge's "verified and
     * signed to seq 12,345 · 2 min ago" needs the room at 800×600); {@code verifyBar}, Verify all's progress and result,
     * goes under it while there is one, with the whole width for a problem's sentence.
     */
    TimelineView(TimelineModel model, Node verifyButton, Node verifyBar) {
        this.model = model;
        root.setId("timeline");
        root.setTop(new VBox(header(), chainLine(verifyButton), verifyBar, filterBar(), queryBar()));
        buildTable();
        StackPane tableStack = new StackPane(table, jumpButton);
        StackPane.setAlignment(jumpButton, Pos.TOP_CENTER);
        StackPane.setMargin(jumpButton, new Insets(34, 0, 0, 0));
        detailHolder = detailPane();
        split.getItems().add(tableStack);
        SplitPane.setResizableWithParent(detailHolder, false);
        // the detail pane sits beside the table while an event is selected, as in the Runners view
        model.selected.addListener((o, was, now) -> showDetailPane(now != null));
        root.setCenter(split);
    }

    private void showDetailPane(boolean show) {
        boolean shown = split.getItems().contains(detailHolder);
        if (show && !shown) {
            split.getItems().add(detailHolder);
            double width = split.getWidth() > 0 ? split.getWidth() : 1100;
            split.setDividerPositions(Math.max(0.45, 1 - 400 / width));
        } else if (!show && shown) {
            split.getItems().remove(detailHolder);
        }
    }

    private Node header() {
        title.getStyleClass().add(Styles.TITLE_3);
        status.setId("timeline-status");
        status.getStyleClass().add(Styles.TEXT_MUTED);
        loadingMark.setId("timeline-loading");
        loadingMark.setPrefSize(16, 16);
        loadingMark.setMaxSize(16, 16);
        loadingMark.visibleProperty().bind(model.loading);
        loadingMark.managedProperty().bind(model.loading);
        status.setMinWidth(0);

        followToggle.setId("timeline-follow");
        followToggle.selectedProperty().bindBidirectional(model.followWanted);
        followToggle.setTooltip(new Tooltip("Follow: new events appear at the top. Scrolling down pauses it."));
        for (ExportFormat f : ExportFormat.values()) {
            MenuItem item = new MenuItem(f.label + " (" + f.pattern.substring(1) + ")…");
            item.setId("timeline-export-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            exportItems.put(f, item);
            exportButton.getItems().add(item);
        }
        exportButton.setId("timeline-export");
        exportButton.setTooltip(new Tooltip("Export every event the filter selects (not only those loaded), with hashes"));
        refreshButton.setId("timeline-refresh");
        refreshButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        refreshButton.setTooltip(new Tooltip("Reload from the newest event (F5)"));
        Label exportStatus = new Label();
        exportStatus.setId("timeline-export-status");
        exportStatus.getStyleClass().add(Styles.TEXT_SUBTLE);
        exportStatus.textProperty().bind(model.exportStatus);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(10, title, status, loadingMark, spacer, exportStatus, followToggle, exportButton, refreshButton);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(14, 16, 8, 16));
        return header;
    }

    private Node chainLine(Node verifyButton) {
        chainBadge.setId("timeline-chain-badge");
        chainBadge.getStyleClass().add("chain-badge");
        chainBadge.setMaxWidth(460);
        model.chain.addListener((o, was, now) -> styleChain(now));
        styleChain(model.chain.get());
        HBox line = new HBox(10, chainBadge, verifyButton);
        line.setId("timeline-chain-line");
        line.setAlignment(Pos.CENTER_LEFT);
        line.setPadding(new Insets(0, 16, 8, 16));
        line.setMinHeight(Region.USE_PREF_SIZE);
        return line;
    }

    private void styleChain(TimelineModel.ChainStatus s) {
        chainBadge.getStyleClass().removeIf(c -> c.startsWith("chain-") && !c.equals("chain-badge"));
        chainBadge.setText(s.text());
        chainBadge.setVisible(s.kind() != TimelineModel.ChainStatus.Kind.NONE);
        FontIcon icon = switch (s.kind()) {
            case VERIFIED -> new FontIcon(Feather.CHECK_CIRCLE);
            case GAP -> new FontIcon(Feather.ALERT_TRIANGLE);
            case BROKEN -> new FontIcon(Feather.X_OCTAGON);
            case UNCHECKED -> new FontIcon(Feather.FILTER);
            case NONE -> null;
        };
        chainBadge.setGraphic(icon);
        chainBadge.getStyleClass().add("chain-" + s.kind().name().toLowerCase(Locale.ROOT));
        Tooltip tip = s.detail().isEmpty() ? null : new Tooltip(s.detail());
        if (tip != null) {
            tip.setWrapText(true);
            tip.setMaxWidth(480);
            tip.setShowDuration(Duration.seconds(30));
        }
        chainBadge.setTooltip(tip);
    }

    private Node filterBar() {
        typesButton.setId("timeline-types");
        typesButton.setGraphic(new FontIcon(Feather.LAYERS));
        typesButton.setTooltip(new Tooltip("Event types shown (presets and single types)"));
        HBox presets = new HBox(4);
        for (TypePreset p : TypePreset.values()) {
            Button b = new Button(p.label);
            b.setId("timeline-preset-" + p.idSuffix);
            b.getStyleClass().addAll(Styles.SMALL);
            b.setTooltip(new Tooltip(String.join(", ", p.types.stream().sorted().toList())));
            presetButtons.put(p, b);
            presets.getChildren().add(b);
        }
        allTypesButton.setId("timeline-preset-all");
        allTypesButton.getStyleClass().add(Styles.SMALL);
        presets.getChildren().add(allTypesButton);
        CustomMenuItem presetItem = new CustomMenuItem(presets, false);
        typesButton.getItems().addAll(presetItem, new SeparatorMenuItem());
        for (String type : EventTypes.ALL) {
            CheckBox check = new CheckBox(type);
            check.setId("timeline-type-" + type.replace('.', '-').replace('_', '-'));
            typeChecks.put(type, check);
            typesButton.getItems().add(new CustomMenuItem(check, false));
        }
        typesButton.textProperty().bind(Bindings.createStringBinding(() -> model.types.isEmpty() ? "All types"
                : model.types.size() == 1 ? model.types.iterator().next() : model.types.size() + " types", model.types));

        runnerField.setId("timeline-runner");
        runnerField.setPromptText("Runner id");
        runnerField.setPrefColumnCount(13);
        sessionField.setId("timeline-session");
        sessionField.setPromptText("Session id");
        sessionField.setPrefColumnCount(11);
        actorField.setId("timeline-actor");
        actorField.setPromptText("Actor");
        actorField.setPrefColumnCount(7);
        rangeBox.setId("timeline-range");
        rangeBox.getItems().setAll(TimeRange.values());
        rangeBox.setTooltip(new Tooltip("Time range"));
        fromField.setId("timeline-from");
        fromField.setPromptText("from yyyy-MM-dd HH:mm");
        fromField.setPrefColumnCount(11);
        toField.setId("timeline-to");
        toField.setPromptText("to (empty: now)");
        toField.setPrefColumnCount(11);
        for (TextField f : new TextField[] {fromField, toField}) {
            f.visibleProperty().bind(model.range.isEqualTo(TimeRange.CUSTOM));
            f.managedProperty().bind(f.visibleProperty());
        }
        searchField.setId("timeline-search");
        searchField.setPromptText("Search text");
        searchField.setLeft(new FontIcon(Feather.SEARCH));
        searchField.setPrefColumnCount(12);
        searchField.setTooltip(new Tooltip("Finds the text in the type, ids, actor or data; matches are highlighted"));
        FlowPane bar = new FlowPane(8, 6, typesButton, runnerField, sessionField, actorField, rangeBox, fromField, toField,
                searchField);
        bar.setId("timeline-filters");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 16, 6, 16));
        return bar;
    }

    private Node queryBar() {
        queryLine.setId("timeline-query-line");
        queryLine.getStyleClass().add("query-line");
        queryLine.textProperty().bind(model.queryLine);
        queryLine.setGraphic(new FontIcon(Feather.FILTER));
        filterProblem.setId("timeline-filter-problem");
        filterProblem.getStyleClass().add(Styles.DANGER);
        filterProblem.textProperty().bind(model.filterProblem);
        clearButton.setId("timeline-clear");
        clearButton.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        clearButton.setTooltip(new Tooltip("Clear every filter"));
        HBox line = new HBox(8, queryLine, filterProblem, clearButton);
        line.setAlignment(Pos.CENTER_LEFT);
        line.setPadding(new Insets(0, 16, 8, 16));
        return line;
    }

    private void buildTable() {
        table.setId("timeline-table");
        table.setItems(model.events);
        table.setFixedCellSize(30);
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE, Styles.DENSE);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        Label empty = new Label();
        empty.setId("timeline-empty");
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        empty.textProperty().bind(Bindings.createStringBinding(() -> !model.loaded.get() ? "Loading events…"
                : model.filtered() ? "No events match the filter" : "No events yet", model.loaded, model.queryLine));
        table.setPlaceholder(empty);
        TableColumn<AuditEvent, String> seq = column("seq", "Seq", 84, e -> Long.toString(e.seq()), false);
        seq.setStyle("-fx-alignment: CENTER-RIGHT;");
        TableColumn<AuditEvent, String> time = column("time", "Time", 130, e -> SHORT_TIME.format(e.timestamp()), false);
        TableColumn<AuditEvent, String> type = column("type", "Type", 172, AuditEvent::eventType, true);
        TableColumn<AuditEvent, String> runner = column("runner", "Runner", 180, e -> e.runnerId().orElse(""), true);
        TableColumn<AuditEvent, String> session = column("session", "Session", 155, e -> e.sessionId().orElse(""), true);
        TableColumn<AuditEvent, String> actor = column("actor", "Actor", 80, AuditEvent::actor, true);
        TableColumn<AuditEvent, String> data = column("data", "Details", 520, EventFormats::summary, true);
        table.getColumns().setAll(List.of(seq, time, type, runner, session, actor, data));
        table.getColumns().forEach(c -> c.setSortable(false)); // newest first is the order the pages come in

        jumpButton.setId("timeline-jump-latest");
        jumpButton.getStyleClass().addAll(Styles.ACCENT, Styles.ROUNDED, Styles.SMALL);
        jumpButton.setGraphic(new FontIcon(Feather.ARROW_UP));
        jumpButton.textProperty().bind(Bindings.createStringBinding(() -> model.anchorSeq.get() > 0
                ? String.format(Locale.ROOT, "Around seq %,d — back to the newest events", model.anchorSeq.get())
                : model.pendingCount.get() == 1 ? "1 new event — jump to latest"
                : model.pendingCount.get() + " new events — jump to latest", model.pendingCount, model.anchorSeq));
        jumpButton.visibleProperty().bind(model.pendingCount.greaterThan(0).or(model.anchorSeq.greaterThan(0)));
        jumpButton.managedProperty().bind(jumpButton.visibleProperty());
    }

    private TableColumn<AuditEvent, String> column(String id, String name, double width, Function<AuditEvent, String> text,
                                                   boolean highlight) {
        TableColumn<AuditEvent, String> c = new TableColumn<>(name);
        c.setId("timeline-col-" + id);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(text.apply(f.getValue())));
        if (highlight) {
            c.setCellFactory(col -> new HighlightCell(id.equals("type")));
        }
        return c;
    }

    private Node detailPane() {
        detailNone.setId("timeline-detail-none");
        detailNone.getStyleClass().add(Styles.TEXT_MUTED);
        detailNone.setWrapText(true);
        detailFields.setId("timeline-detail-fields");
        detailFields.setHgap(12);
        detailFields.setVgap(4);
        runnerLink.setId("timeline-detail-runner-link");
        runnerLink.setTooltip(new Tooltip("Show this runner in the Runners view"));
        sessionLink.setId("timeline-detail-session-link");
        sessionLink.setTooltip(new Tooltip("Show this session's runner and its session"));
        filterRunnerButton.setId("timeline-detail-filter-runner");
        filterSessionButton.setId("timeline-detail-filter-session");
        for (Button b : new Button[] {filterRunnerButton, filterSessionButton}) {
            b.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        }
        Label dataTitle = new Label("data");
        dataTitle.getStyleClass().add(Styles.TEXT_BOLD);
        dataArea.setId("timeline-detail-data");
        dataArea.setEditable(false);
        dataArea.setWrapText(false);
        dataArea.getStyleClass().add("monospace");
        dataArea.setPrefRowCount(12);
        recordingsBox.setId("timeline-detail-recordings");
        VBox.setVgrow(dataArea, Priority.ALWAYS);
        HBox filters = new HBox(6, filterRunnerButton, filterSessionButton);
        buildScreenshotBox();
        detail.getChildren().addAll(detailFields, filters, screenshotBox, dataTitle, dataArea, recordingsBox);
        detail.setPadding(new Insets(12));
        detail.setId("timeline-detail");
        detail.visibleProperty().bind(model.selected.isNotNull());
        detailNone.visibleProperty().bind(model.selected.isNull());
        detailNone.setPadding(new Insets(24));
        ScrollPane scroll = new ScrollPane(detail);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        StackPane holder = new StackPane(detailNone, scroll);
        scroll.visibleProperty().bind(model.selected.isNotNull());
        holder.setMinWidth(300);
        holder.setPrefWidth(380);
        return holder;
    }

    private void buildScreenshotBox() {
        Label t = new Label("Screen after this action");
        t.getStyleClass().add(Styles.TEXT_BOLD);
        screenshotCaption.setId("timeline-detail-action");
        screenshotCaption.setWrapText(true);
        screenshotCaption.getStyleClass().add("monospace");
        screenshot.setId("timeline-detail-screenshot");
        // the pane scrolls: the screenshot keeps the pane's full width rather than shrinking for the data below
        screenshot.setMinHeight(Region.USE_PREF_SIZE);
        screenshot.setCursor(javafx.scene.Cursor.HAND);
        Tooltip.install(screenshot, new Tooltip("Click to open at full size"));
        screenshot.setOnMouseClicked(e -> openFullSize());
        fullSizeButton.setId("timeline-detail-full-size");
        fullSizeButton.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        fullSizeButton.setTooltip(new Tooltip("The screenshot at full size, in a window of its own"));
        fullSizeButton.setOnAction(e -> openFullSize());
        fullSizeButton.setDisable(true);
        screenshotBox.setId("timeline-detail-screenshot-box");
        screenshotBox.getChildren().addAll(t, screenshotCaption, screenshot, fullSizeButton);
        screenshotBox.setVisible(false);
        screenshotBox.managedProperty().bind(screenshotBox.visibleProperty());
    }

    private void openFullSize() {
        if (shownAction != null) {
            screenshot.image().ifPresent(image -> onFullSize.accept(shownAction, image));
        }
    }

    /** The screenshot of {@code action} arrived; shown if that action is still the one selected. */
    void showScreenshot(ComputerAction action, javafx.scene.image.Image image) {
        if (action.equals(shownAction)) {
            screenshot.show(image, action);
            fullSizeButton.setDisable(false);
        }
    }

    /** The screenshot of {@code action} cannot be shown, and why. */
    void screenshotProblem(ComputerAction action, String problem) {
        if (action.equals(shownAction)) {
            screenshot.showMessage(problem);
            fullSizeButton.setDisable(true);
        }
    }

    private void showAction(AuditEvent e) {
        shownAction = e == null ? null : ComputerAction.of(e).orElse(null);
        screenshotBox.setVisible(shownAction != null);
        fullSizeButton.setDisable(true);
        if (shownAction == null) {
            screenshot.showMessage("");
            return;
        }
        screenshotCaption.setText(shownAction.stepCaption());
        if (shownAction.screenshot().isEmpty()) {
            screenshot.showMessage(Screenshots.NONE);
            return;
        }
        screenshot.showMessage(Screenshots.LOADING);
        onScreenshot.accept(shownAction);
    }

    /** Fills the detail pane with every field of {@code e}. */
    void showDetail(AuditEvent e) {
        detailFields.getChildren().clear();
        recordingsBox.getChildren().clear();
        showAction(e);
        if (e == null) {
            dataArea.clear();
            return;
        }
        int row = 0;
        row = field(row, "seq", new Label(Long.toString(e.seq())));
        row = field(row, "event_type", new Label(e.eventType()));
        row = field(row, "timestamp", new Label(TIME.format(e.timestamp()) + "  (" + e.timestamp() + ")"));
        if (e.runnerId().isPresent()) {
            runnerLink.setText(e.runnerId().get());
            row = field(row, "runner_id", runnerLink);
        } else {
            row = field(row, "runner_id", new Label("—"));
        }
        if (e.sessionId().isPresent()) {
            sessionLink.setText(e.sessionId().get());
            row = field(row, "session_id", sessionLink);
        } else {
            row = field(row, "session_id", new Label("—"));
        }
        row = field(row, "actor", new Label(e.actor()));
        row = field(row, "prev_hash", hash(e.prevHash()));
        field(row, "hash", hash(e.hash()));
        filterRunnerButton.setDisable(e.runnerId().isEmpty());
        filterSessionButton.setDisable(e.sessionId().isEmpty());
        dataArea.setText(EventFormats.pretty(e.data()));
        Object recordings = e.data().get("recordings");
        if (EventTypes.SESSION_STOPPED.equals(e.eventType()) && recordings instanceof List<?> files && !files.isEmpty()) {
            Label t = new Label("Terminal recordings (asciicast, in the data directory)");
            t.getStyleClass().add(Styles.TEXT_BOLD);
            recordingsBox.getChildren().add(t);
            int index = 0;
            for (Object f : files) {
                int number = ++index;
                Label file = new Label(String.valueOf(f), new FontIcon(Feather.FILM));
                file.getStyleClass().add("monospace");
                file.setTooltip(new Tooltip("Also playable with: asciinema play <data dir>/" + f));
                javafx.scene.control.Button replay = new javafx.scene.control.Button("Replay");
                replay.setId("timeline-replay-" + number);
                replay.getStyleClass().add(Styles.SMALL);
                replay.setOnAction(ev -> onReplay.accept(e, number));
                javafx.scene.layout.HBox line = new javafx.scene.layout.HBox(8, replay, file);
                line.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
                recordingsBox.getChildren().add(line);
            }
        }
    }

    private static Label hash(String h) {
        Label l = new Label(h);
        l.getStyleClass().addAll("monospace", Styles.TEXT_SMALL);
        l.setWrapText(true);
        l.setTooltip(new Tooltip(h));
        return l;
    }

    private int field(int row, String name, Node value) {
        Label n = new Label(name);
        n.getStyleClass().add(Styles.TEXT_MUTED);
        n.setMinWidth(Region.USE_PREF_SIZE);
        value.setId(value.getId() != null ? value.getId() : "timeline-detail-" + name.replace('_', '-'));
        detailFields.addRow(row, n, value);
        return row + 1;
    }

    /** Text with the search match highlighted (colour and a background, not colour alone). */
    private final class HighlightCell extends TableCell<AuditEvent, String> {
        private final boolean typeBadge;
        private final HBox box = new HBox();

        HighlightCell(boolean typeBadge) {
            this.typeBadge = typeBadge;
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(String value, boolean empty) {
            super.updateItem(value, empty);
            setText(null);
            if (empty || value == null) {
                setGraphic(null);
                return;
            }
            box.getChildren().clear();
            String needle = model.highlight();
            String lower = value.toLowerCase(Locale.ROOT);
            int at = needle.isEmpty() ? -1 : lower.indexOf(needle);
            if (at < 0) {
                box.getChildren().add(segment(value, false));
            } else {
                int from = 0;
                while (at >= 0) {
                    if (at > from) {
                        box.getChildren().add(segment(value.substring(from, at), false));
                    }
                    box.getChildren().add(segment(value.substring(at, at + needle.length()), true));
                    from = at + needle.length();
                    at = lower.indexOf(needle, from);
                }
                if (from < value.length()) {
                    box.getChildren().add(segment(value.substring(from), false));
                }
            }
            if (typeBadge) {
                box.getStyleClass().setAll("event-type", "event-type-" + eventFamily(getTableRow() == null ? null
                        : getTableRow().getItem()));
            }
            setGraphic(box);
        }

        private Label segment(String text, boolean hit) {
            Label l = new Label(text);
            l.setMinWidth(hit ? Region.USE_PREF_SIZE : 0);
            if (hit) {
                l.getStyleClass().add("search-hit");
            }
            return l;
        }
    }

    /** The colour family of an event type: denials red, PII amber, lifecycle neutral, commands accent. */
    static String eventFamily(AuditEvent e) {
        if (e == null) {
            return "other";
        }
        String t = e.eventType();
        if (TypePreset.DENIALS.types.contains(t) || t.equals(EventTypes.RUNNER_FAILED)) {
            return "denial";
        }
        if (t.equals(EventTypes.PII_DETECTED) || t.equals(EventTypes.COMMAND_TIMED_OUT) || t.equals(EventTypes.POLICY_UPDATED)) {
            return "warning";
        }
        if (t.startsWith("command.")) {
            return "command";
        }
        return "lifecycle";
    }
}
