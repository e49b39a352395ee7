package dev.runnerdesk.ui.timeline;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The timeline built in code: the header (count, Follow, Export), the chain badge's line, the filter bar
 * ({@link TimelineFilterBar}), the paged event table with its jump button, and the detail pane beside the table
 * while an event is selected.
 */
final class TimelineView {
    static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    final BorderPane root = new BorderPane();
    final TableView<AuditEvent> table = new TableView<>();
    final Label title = new Label("Timeline");
    final Label status = new Label();
    final ProgressIndicator loadingMark = new ProgressIndicator();
    /** A load that takes a while: what it waits for, for how long, and Cancel. */
    final WaitIndicator wait = new WaitIndicator("timeline-wait", false);
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
    final TimelineFilterBar filters;
    final Button jumpButton = new Button();
    final SplitPane split = new SplitPane();
    private final Node detailPane;
    private final TimelineModel model;

    /**
     * The chain badge and {@code verifyButton} have a line of their own under the header (the badge's "verified and
     * signed to seq 12,345 · 2 min ago" needs the room at 800×600); {@code verifyBar}, Verify all's progress and result,
     * goes under it while there is one, with the whole width for a problem's sentence. {@code detailPane} joins the
     * table while an event is selected.
     */
    TimelineView(TimelineModel model, Node detailPane, Node verifyButton, Node verifyBar) {
        this.model = model;
        this.filters = new TimelineFilterBar(model);
        this.detailPane = detailPane;
        root.setId("timeline");
        VBox.setMargin(wait.view(), new Insets(0, 16, 6, 16));
        root.setTop(new VBox(header(), wait.view(), chainLine(verifyButton), verifyBar, filters.bar, filters.queryBar));
        buildTable();
        StackPane tableStack = new StackPane(table, jumpButton);
        StackPane.setAlignment(jumpButton, Pos.TOP_CENTER);
        StackPane.setMargin(jumpButton, new Insets(34, 0, 0, 0));
        split.getItems().add(tableStack);
        // the detail pane sits beside the table while an event is selected, as in the Runners view
        model.selected.addListener((o, was, now) -> showDetailPane(now != null));
        root.setCenter(split);
    }

    private void showDetailPane(boolean show) {
        boolean shown = split.getItems().contains(detailPane);
        if (show && !shown) {
            split.getItems().add(detailPane);
            split.setDividerPositions(0.58); // a share that grows with the window (was ~400 px at any width)
        } else if (!show && shown) {
            split.getItems().remove(detailPane);
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
            item.setMnemonicParsing(false);
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
        // said once, in place and quietly: what a gateway without an optional route means for what is shown
        Label routeNote = new Label();
        routeNote.setId("timeline-route-note");
        routeNote.getStyleClass().add(Styles.TEXT_MUTED);
        routeNote.setWrapText(true);
        routeNote.textProperty().bind(Bindings.createStringBinding(() -> String.join(" ", Stream.of(
                model.routeNote.get(), model.liveNote.get()).filter(n -> !n.isEmpty()).toList()), model.routeNote, model.liveNote));
        routeNote.visibleProperty().bind(routeNote.textProperty().isNotEmpty());
        routeNote.managedProperty().bind(routeNote.visibleProperty());
        HBox line = new HBox(10, chainBadge, verifyButton, routeNote);
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

    private void buildTable() {
        table.setId("timeline-table");
        table.setItems(model.events);
        table.setFixedCellSize(30);
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE, Styles.DENSE);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setPlaceholder(emptyState());
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

    /** What the table shows with no rows: loading, no events yet, or none that match the filter (with Clear filters). */
    private VBox emptyState() {
        Label empty = new Label();
        empty.setId("timeline-empty");
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        empty.setWrapText(true);
        empty.setMaxWidth(520);
        empty.textProperty().bind(Bindings.createStringBinding(() -> model.loadCancelled.get() && !model.loaded.get()
                ? "The events were not loaded: the load was cancelled. Press F5 or Refresh to load them."
                : !model.loaded.get() ? "Loading events…"
                : model.filtered() ? "No events match " + model.queryLine.get()
                + (model.filterProblem.get().isBlank() ? "" : " — " + model.filterProblem.get())
                : "No events yet", model.loaded, model.loadCancelled, model.queryLine, model.filterProblem));
        Hyperlink clear = new Hyperlink("Clear filters");
        clear.setId("timeline-empty-clear");
        clear.visibleProperty().bind(Bindings.createBooleanBinding(() -> model.loaded.get() && model.filtered(),
                model.loaded, model.queryLine));
        clear.managedProperty().bind(clear.visibleProperty());
        clear.setOnAction(e -> model.clearFilter());
        VBox box = new VBox(6, empty, clear);
        box.setAlignment(Pos.CENTER);
        box.setPadding(new Insets(24));
        return box;
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
