package dev.runnerdesk.ui.terminal;

import atlantafx.base.theme.Styles;
import com.techsenger.jeditermfx.core.TtyConnector;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import javafx.util.Duration;

import java.util.concurrent.CancellationException;

/**
 * One session's terminal: a real shell on a PTY where the provider has one, else the exec-mode prompt.
 * A shell that drops shows a banner and reconnects with backoff, keeping the scrollback; a shell the service
 * cannot open ({@code Unavailable}) becomes the exec-mode prompt in place. Lines past the scrollback cap are
 * counted in a notice. Opening a shell, and a command of the exec-mode prompt, show what they wait for with a Cancel;
 * a retry counts down and can be stopped.
 */
public final class TerminalView {
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final String EXEC_MODE = "Exec mode · one command per line";

    private final RunnerService service;
    private final TaskExecutor tasks;
    private final String runnerId;
    private final String sessionId;
    private final boolean pty;
    private final RunnerTerminalWidget widget;
    private final BorderPane root = new BorderPane();
    private final Label banner = new Label();
    private final Button reconnect = new Button("Reconnect");
    private final Button stopRetrying = new Button("Stop retrying");
    /** What the terminal waits for now: a shell being opened, or a command of the exec-mode prompt. */
    private final WaitIndicator wait = new WaitIndicator("terminal-wait", false);
    private final HBox bannerBox;
    private final Label dropped = new Label();
    private final VBox top = new VBox();
    final Button popOut = new Button("Pop out", new FontIcon(Feather.EXTERNAL_LINK));
    private final Timeline droppedTicker;
    private PtyConnector ptyConnector;
    private ExecConsole console;
    private final Label mode;
    private final Timeline retry;
    private long retryLeft;
    private String retryReason;
    private ShellOpening opening;
    private TaskExecutor.Cancellable openTask;
    private int execTimeoutSeconds = ExecRequest.DEFAULT_TIMEOUT_SECONDS;
    private int failures;
    private boolean closed;
    private String historyKey;
    private String carriedText;
    private String carriedNote;
    private boolean toldOfRestart;

    /**
     * @param pty whether the runner's provider has an interactive terminal (else exec mode)
     * @param dark whether the app shows its dark theme
     */
    public TerminalView(RunnerService service, TaskExecutor tasks, String runnerId, String sessionId, boolean pty,
                        boolean dark, int scrollback) {
        this.service = service;
        this.tasks = tasks;
        this.runnerId = runnerId;
        this.sessionId = sessionId;
        this.pty = pty;
        this.historyKey = runnerId + " " + sessionId;
        this.widget = new RunnerTerminalWidget(100, 30, new TerminalSettings(dark ? TerminalTheme.DARK : TerminalTheme.LIGHT,
                scrollback), FxClipboardPasteHandler.confirmByAsking());
        root.setId("terminal-" + sessionId);
        root.getStyleClass().add("terminal-view");
        root.setCenter(widget.getPane());
        mode = new Label(pty ? "Interactive shell" : EXEC_MODE);
        mode.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        mode.setId("terminal-mode");
        Button smaller = new Button("", new FontIcon(Feather.ZOOM_OUT));
        Button larger = new Button("", new FontIcon(Feather.ZOOM_IN));
        smaller.setOnAction(e -> zoom(-1));
        larger.setOnAction(e -> zoom(1));
        smaller.setTooltip(new Tooltip("Smaller text (Ctrl+−)"));
        larger.setTooltip(new Tooltip("Larger text (Ctrl++)"));
        smaller.setAccessibleText("Smaller text");
        larger.setAccessibleText("Larger text");
        popOut.setId("terminal-pop-out");
        popOut.setTooltip(new Tooltip("Open this terminal in its own window"));
        popOut.setAccessibleText("Pop out this terminal into its own window");
        describe(runnerId);
        for (Button b : new Button[] {smaller, larger, popOut}) {
            b.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
            b.setFocusTraversable(false);
        }
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox toolbar = new HBox(4, mode, gap, smaller, larger, popOut);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(2, 6, 2, 10));
        VBox.setMargin(wait.view(), new Insets(2, 10, 2, 10));
        top.getChildren().addAll(toolbar, wait.view());
        root.setTop(top);

        banner.setId("terminal-banner");
        // the reason in full, over as many lines as it needs, and a Reconnect button that never shrinks to "…"
        banner.setWrapText(true);
        banner.setMinHeight(Region.USE_PREF_SIZE);
        banner.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(banner, Priority.ALWAYS);
        reconnect.setMinWidth(Region.USE_PREF_SIZE);
        reconnect.setId("terminal-reconnect");
        reconnect.getStyleClass().addAll(Styles.SMALL, Styles.ACCENT);
        reconnect.setOnAction(e -> connect());
        stopRetrying.setMinWidth(Region.USE_PREF_SIZE);
        stopRetrying.setId("terminal-stop-retrying");
        stopRetrying.getStyleClass().add(Styles.SMALL);
        stopRetrying.setOnAction(e -> stopRetrying());
        retry = new Timeline(new KeyFrame(Duration.seconds(1), e -> retryTick()));
        retry.setCycleCount(Timeline.INDEFINITE);
        bannerBox = new HBox(8, banner, stopRetrying, reconnect);
        bannerBox.setAlignment(Pos.CENTER_LEFT);
        bannerBox.setPadding(new Insets(6, 10, 6, 10));
        bannerBox.getStyleClass().add("terminal-banner");
        dropped.setId("terminal-dropped");
        dropped.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        dropped.setPadding(new Insets(2, 10, 2, 10));
        droppedTicker = new Timeline(new KeyFrame(Duration.seconds(1), e -> showDropped()));
        droppedTicker.setCycleCount(Timeline.INDEFINITE);
    }

    public Node view() {
        return root;
    }

    /** The node to focus for typing. */
    public Node focusTarget() {
        return widget.getTerminalPanel().getCanvas();
    }

    /** Names the terminal for screen readers (the canvas has no text of its own to read). */
    void describe(String title) {
        Node canvas = focusTarget();
        canvas.setAccessibleRole(AccessibleRole.TEXT_AREA);
        canvas.setAccessibleText("Terminal of " + title + ", session " + sessionId + (pty ? ", interactive shell" : ", exec mode"));
        canvas.setFocusTraversable(true);
    }

    /** Whose ↑/↓ history the exec console shares (connection, runner and session); before {@link #start}. */
    void setHistoryKey(String key) {
        historyKey = key;
    }

    /** Text a terminal of the same place showed before it ended, shown dimmed first, then {@code note}; before {@link #start}. */
    void carryOver(String text, String note) {
        carriedText = text;
        carriedNote = note;
    }

    /** The font (Settings → Terminal). */
    void setFont(String family, float size) {
        widget.setFont(family, size);
    }

    /** Starts the shell (or the prompt). Call once, on the FX thread. */
    public void start() {
        TtyConnector connector;
        OutputPipe pipe = new OutputPipe();
        if (carriedText != null) {
            pipe.push("\u001b[2m" + carriedText.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n" + carriedNote
                    + "\u001b[0m\r\n");
        }
        if (pty) {
            ptyConnector = new PtyConnector(runnerId + " " + sessionId, pipe, code -> tasks.onUiThread(() -> shellEnded(code)));
            connector = ptyConnector;
        } else {
            console = new ExecConsole(service, tasks, runnerId, sessionId, pipe, historyKey);
            console.setTimeoutSeconds(execTimeoutSeconds);
            CommandWait.show(console, wait, tasks, runnerId);
            connector = console;
        }
        widget.setTtyConnector(connector);
        widget.start();
        droppedTicker.play();
        if (pty) {
            connect();
        }
    }

    private void connect() {
        hideBanner();
        TerminalSize size = currentSize();
        PtyConnector.ShellOutput output = ptyConnector.listener();
        ShellOpening attempt = new ShellOpening(shell -> tasks.closeInBackground("Closing a shell opened after a cancel", shell));
        opening = attempt;
        String what = "Opening a shell in session " + sessionId + " on runner " + runnerId;
        wait.start(what, this::cancelOpening);
        openTask = tasks.submit(what, () -> attempt.arrived(service.openTerminal(runnerId, sessionId, size, output)),
                terminal -> {
                    if (opened(attempt) && attempt.take()) {
                        attached(terminal, output);
                    }
                }, error -> {
                    if (!opened(attempt)) {
                        return;
                    }
                    if (error instanceof CancellationException) {
                        attempt.cancel(); // cancelled in the status bar
                        openingCancelled();
                    } else {
                        connectFailed(error);
                    }
                });
    }

    /** The open {@code attempt} ended; false when it is no longer the one the terminal waits for. */
    private boolean opened(ShellOpening attempt) {
        if (opening != attempt) {
            return false;
        }
        opening = null;
        openTask = null;
        wait.done();
        return true;
    }

    /** Cancel beside "Opening a shell…": the open stops, and a shell that still arrives is closed, never attached. */
    private void cancelOpening() {
        ShellOpening attempt = opening;
        TaskExecutor.Cancellable task = openTask;
        if (attempt == null || !opened(attempt)) {
            return;
        }
        attempt.cancel();
        if (task != null) {
            task.cancel();
        }
        openingCancelled();
    }

    private void openingCancelled() {
        if (closed) {
            return;
        }
        failures = 0;
        ptyConnector.dropTypedEarly();
        ptyConnector.note("[opening the shell was cancelled]");
        showBanner("Disconnected — opening the shell was cancelled. Reconnect opens it again.", true);
    }

    private TerminalSize currentSize() {
        var s = widget.getTerminalPanel().getTerminalSizeFromComponent();
        return s == null || s.getColumns() < 1 || s.getRows() < 1 ? new TerminalSize(100, 30)
                : new TerminalSize(Math.min(1000, s.getColumns()), Math.min(1000, s.getRows()));
    }

    private void attached(Terminal terminal, PtyConnector.ShellOutput output) {
        if (closed) {
            terminal.close();
            return;
        }
        failures = 0;
        String note = null;
        if (terminal.replacesEndedShell() && !toldOfRestart) {
            toldOfRestart = true;
            note = "[The shell of session " + sessionId + " ended when RunnerDesk closed; this is a new shell."
                    + " Files in /workspace are kept.]";
        }
        ptyConnector.attach(terminal, output, note);
    }

    private void connectFailed(Throwable error) {
        if (closed) {
            return;
        }
        switch (TerminalMode.afterOpenFailure(error)) {
            case FALL_BACK_TO_CONSOLE -> fallBackToConsole(error.getMessage());
            case GIVE_UP -> showBanner(error.getMessage(), false); // the session is over, or not ours
            case RETRY -> scheduleRetry(Notifier.describe(error));
        }
    }

    /** No shell to be had here: the same widget, its scrollback kept, becomes the exec-mode prompt. */
    private void fallBackToConsole(String reason) {
        ptyConnector.note("[no interactive shell: " + reason + "]");
        console = new ExecConsole(service, tasks, runnerId, sessionId, ptyConnector.pipe, historyKey);
        console.setTimeoutSeconds(execTimeoutSeconds);
        CommandWait.show(console, wait, tasks, runnerId);
        ptyConnector.fallBackTo(console);
        mode.setText(EXEC_MODE);
    }

    private void shellEnded(int code) {
        if (closed) {
            return;
        }
        ptyConnector.note("[shell ended with status " + code + "]");
        // a shell that exits by itself is not reconnected automatically; a dropped one is
        showBanner("Disconnected — the shell ended (status " + code + ")", true);
    }

    private void scheduleRetry(String reason) {
        failures++;
        retryReason = reason;
        retryLeft = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(failures - 1, 5)) / 1000;
        showBanner("Disconnected — " + reason + ". Retrying in " + retryLeft + " s", true);
        stopRetrying.setVisible(true);
        stopRetrying.setManaged(true);
        retry.playFromStart();
    }

    private void retryTick() {
        retryLeft--;
        if (retryLeft <= 0) {
            connect();
        } else {
            banner.setText("Disconnected — " + retryReason + ". Retrying in " + retryLeft + " s");
        }
    }

    /** Stop retrying: the terminal stays disconnected, without tries in the background, until Reconnect. */
    private void stopRetrying() {
        if (retry.getStatus() != Timeline.Status.RUNNING) {
            return;
        }
        failures = 0;
        showBanner("Disconnected — " + retryReason + ". Stopped retrying; Reconnect tries again.", true);
    }

    private void showBanner(String text, boolean canReconnect) {
        retry.stop();
        stopRetrying.setVisible(false);
        stopRetrying.setManaged(false);
        banner.setText(text);
        reconnect.setVisible(canReconnect);
        reconnect.setManaged(canReconnect);
        if (!top.getChildren().contains(bannerBox)) {
            top.getChildren().add(bannerBox);
        }
    }

    private void hideBanner() {
        retry.stop();
        top.getChildren().remove(bannerBox);
    }

    private void showDropped() {
        long n = widget.droppedLines();
        if (n > 0) {
            dropped.setText(String.format("%,d lines dropped above: the scrollback keeps the last %,d", n, widget.scrollback()));
            root.setBottom(dropped);
        }
    }

    /** Whether the shell (or prompt) is up and the banner is hidden. */
    public boolean connected() {
        return !top.getChildren().contains(bannerBox);
    }

    /** The exec-mode command timeout, in seconds. */
    public void setExecTimeout(int seconds) {
        execTimeoutSeconds = seconds;
        if (console != null) {
            console.setTimeoutSeconds(seconds);
        }
    }

    /** The visible text and the scrollback, for tests and "copy all". */
    public String text() {
        var buffer = widget.getTerminalTextBuffer();
        buffer.lock();
        try {
            StringBuilder all = new StringBuilder(buffer.getHistoryBuffer().getLines());
            all.append(buffer.getScreenLines());
            return all.toString();
        } finally {
            buffer.unlock();
        }
    }

    /** The widget itself, for the benchmarks in this package. */
    RunnerTerminalWidget widget() {
        return widget;
    }

    /** Types {@code text} into the terminal as if from the keyboard (scripted demos, tests). */
    public void send(String text) {
        var starter = widget.getTerminalStarter();
        if (starter != null) {
            starter.sendString(text, true);
        }
    }

    /** Follows the app's light or dark theme. */
    public void setDark(boolean dark) {
        widget.applyTheme(dark ? TerminalTheme.DARK : TerminalTheme.LIGHT);
    }

    public void zoom(float delta) {
        widget.zoom(widget.fontSize() + delta);
    }

    public void close() {
        closed = true;
        cancelOpening();
        wait.done();
        hideBanner();
        droppedTicker.stop();
        widget.close();
    }

}
