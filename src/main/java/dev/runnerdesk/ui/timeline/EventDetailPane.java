package dev.runnerdesk.ui.timeline;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.ui.common.WaitIndicator;
import dev.runnerdesk.ui.screen.ComputerAction;
import dev.runnerdesk.ui.screen.ScreenshotPane;
import dev.runnerdesk.ui.screen.Screenshots;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The timeline's detail pane, built in code: every field of the selected event (runner and session as links, the
 * hashes whole), filters to its runner or session, its data as indented JSON, a computer action's screenshot and a
 * stopped session's recordings to replay. It shows what it is handed; its owner loads screenshots and recordings.
 */
final class EventDetailPane {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** The pane as the split shows it: a hint while nothing is selected, the fields in a scroll pane otherwise. */
    final StackPane root;
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
    /** A screenshot or a recording that takes a while to come: what for, and Cancel. */
    final WaitIndicator wait = new WaitIndicator("timeline-detail-wait", false);
    final Button fullSizeButton = new Button("Open full size", new FontIcon(Feather.MAXIMIZE_2));
    /** The action whose screenshot the pane shows or waits for. */
    private ComputerAction shownAction;
    /** Asks for the screenshot of a computer action (the owner loads it off the FX thread). */
    Consumer<ComputerAction> onScreenshot = a -> { };
    /** Opens the screenshot shown at full size. */
    BiConsumer<ComputerAction, Image> onFullSize = (a, i) -> { };
    /** Replays recording {@code index} (from 1) of a session.stopped event. */
    BiConsumer<AuditEvent, Integer> onReplay = (event, index) -> { };

    /** {@code selected}: whether an event is selected (the fields show, else the hint). */
    EventDetailPane(ObservableBooleanValue selected) {
        detailNone.setId("timeline-detail-none");
        detailNone.getStyleClass().add(Styles.TEXT_MUTED);
        detailNone.setWrapText(true);
        detailFields.setId("timeline-detail-fields");
        detailFields.setHgap(12);
        detailFields.setVgap(4);
        // ids hold underscores ("runner_…"), which a mnemonic would swallow
        runnerLink.setMnemonicParsing(false);
        sessionLink.setMnemonicParsing(false);
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
        detail.getChildren().addAll(wait.view(), detailFields, filters, screenshotBox, dataTitle, dataArea, recordingsBox);
        detail.setPadding(new Insets(12));
        detail.setId("timeline-detail");
        detail.visibleProperty().bind(selected);
        detailNone.visibleProperty().bind(Bindings.not(selected));
        detailNone.setPadding(new Insets(24));
        ScrollPane scroll = new ScrollPane(detail);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        root = new StackPane(detailNone, scroll);
        scroll.visibleProperty().bind(selected);
        root.setMinWidth(300);
        root.setPrefWidth(380);
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
        screenshot.setCursor(Cursor.HAND);
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
    void showScreenshot(ComputerAction action, Image image) {
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

    /** Fills the pane with every field of {@code e} (null: none selected). */
    void show(AuditEvent e) {
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
        showRecordings(e);
    }

    private void showRecordings(AuditEvent e) {
        Object recordings = e.data().get("recordings");
        if (!EventTypes.SESSION_STOPPED.equals(e.eventType()) || !(recordings instanceof List<?> files) || files.isEmpty()) {
            return;
        }
        Label t = new Label("Terminal recordings (asciicast, in the data directory)");
        t.getStyleClass().add(Styles.TEXT_BOLD);
        recordingsBox.getChildren().add(t);
        int index = 0;
        for (Object f : files) {
            int number = ++index;
            Label file = new Label(String.valueOf(f), new FontIcon(Feather.FILM));
            file.getStyleClass().add("monospace");
            file.setTooltip(new Tooltip("Also playable with: asciinema play <data dir>/" + f));
            Button replay = new Button("Replay");
            replay.setId("timeline-replay-" + number);
            replay.getStyleClass().add(Styles.SMALL);
            replay.setMinWidth(Region.USE_PREF_SIZE); // "Replay", never "Rep…"
            replay.setOnAction(ev -> onReplay.accept(e, number));
            HBox line = new HBox(8, replay, file);
            line.setAlignment(Pos.CENTER_LEFT);
            recordingsBox.getChildren().add(line);
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
}
