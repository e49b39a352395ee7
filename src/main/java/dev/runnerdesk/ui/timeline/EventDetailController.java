package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.Asciicast;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.screen.ComputerAction;
import dev.runnerdesk.ui.screen.ScreenshotWindow;
import dev.runnerdesk.ui.screen.Screenshots;
import dev.runnerdesk.ui.terminal.CastPlayer;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.stage.Window;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The timeline's detail pane at work: it shows the selected event, loads a computer action's screenshot off the FX
 * thread (a newer selection drops an older load), replays a stopped session's recordings in a window of their own,
 * and follows its links — to the runner, to the session, or into the filter.
 */
final class EventDetailController {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final Supplier<Window> owner;
    private final TimelineModel model;
    private final EventDetailPane pane;
    private Consumer<String> onOpenRunner = id -> { };
    private BiConsumer<String, String> onOpenSession = (runner, session) -> { };
    /** The screenshot or recording load that runs, and whose it is (a token per load). */
    private TaskExecutor.Cancellable running;
    private Object waitingFor;
    private Supplier<String> cancelledSays = () -> "";

    EventDetailController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, TimelineModel model,
                          Supplier<Window> owner) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.owner = owner;
        this.model = model;
        this.pane = new EventDetailPane(model.selected.isNotNull());
        pane.onReplay = this::replay;
        pane.onScreenshot = this::loadScreenshot;
        pane.onFullSize = (action, image) -> ScreenshotWindow.open(owner.get(), image, action);
        pane.runnerLink.setOnAction(e -> selected().flatMap(AuditEvent::runnerId).ifPresent(id -> onOpenRunner.accept(id)));
        pane.sessionLink.setOnAction(e -> selected().ifPresent(ev -> ev.sessionId().ifPresent(
                s -> onOpenSession.accept(ev.runnerId().orElse(null), s))));
        pane.filterRunnerButton.setOnAction(e -> selected().flatMap(AuditEvent::runnerId).ifPresent(model.runner::set));
        pane.filterSessionButton.setOnAction(e -> selected().flatMap(AuditEvent::sessionId).ifPresent(model.session::set));
        model.selected.addListener((o, was, now) -> {
            stopWaiting();
            pane.show(now);
        });
    }

    Node view() {
        return pane.root;
    }

    void setOnOpenRunner(Consumer<String> handler) {
        onOpenRunner = handler;
    }

    void setOnOpenSession(BiConsumer<String, String> handler) {
        onOpenSession = handler;
    }

    private Optional<AuditEvent> selected() {
        return Optional.ofNullable(model.selected.get());
    }

    /** Loads the screenshot of the selected computer action; a newer selection drops an older load. */
    private void loadScreenshot(ComputerAction action) {
        stopWaiting();
        RunnerService service = connection.service();
        if (service == null) {
            pane.screenshotProblem(action, "Not connected.");
            return;
        }
        Object mine = waiting("send the screenshot" + action.screenshot().map(n -> " " + n).orElse(""), () -> {
            pane.screenshotProblem(action, "Not loaded: the load was cancelled. Select the event again to load it.");
            return "Cancelled — the screenshot was not loaded";
        });
        running = Screenshots.load(tasks, service, action, image -> {
            ended(mine);
            pane.showScreenshot(action, image);
        }, e -> {
            if (e instanceof CancellationException) {
                cancelled(mine); // in the status bar
            } else {
                ended(mine);
                pane.screenshotProblem(action, Screenshots.problem(e));
            }
        });
    }

    /** Fetches a session's recording off the FX thread and plays it in a window of its own. */
    private void replay(AuditEvent event, int index) {
        RunnerService service = connection.service();
        if (service == null || event.runnerId().isEmpty() || event.sessionId().isEmpty()) {
            return;
        }
        stopWaiting();
        String runnerId = event.runnerId().get();
        String sessionId = event.sessionId().get();
        Object mine = waiting("send recording " + index + " of " + sessionId,
                () -> "Cancelled — the recording was not loaded; Replay loads it again");
        running = tasks.submit("Loading recording " + index + " of " + sessionId,
                () -> Asciicast.parse(service.recording(runnerId, sessionId, index)), cast -> {
                    ended(mine);
                    CastPlayer.open(cast, sessionId + " #" + index, owner.get(),
                            String.valueOf(Application.getUserAgentStylesheet()).contains("dark"));
                }, e -> {
                    if (e instanceof CancellationException) {
                        cancelled(mine);
                    } else {
                        ended(mine);
                        notifier.error("Cannot replay the recording of " + sessionId, e);
                    }
                });
    }

    // One load at a time shows in the pane's wait: a screenshot or a recording. A newer one (or a new selection)
    // stops the one before; Cancel stops it and says what was not loaded.

    private Object waiting(String waitsTo, Supplier<String> onCancelled) {
        Object mine = new Object();
        waitingFor = mine;
        cancelledSays = onCancelled;
        pane.wait.start("Waiting for " + connection.where() + " to " + waitsTo, () -> {
            TaskExecutor.Cancellable task = running;
            if (task != null) {
                task.cancel();
            }
            cancelled(mine);
        });
        return mine;
    }

    private void ended(Object mine) {
        if (waitingFor == mine) {
            waitingFor = null;
            running = null;
            pane.wait.done();
        }
    }

    private void cancelled(Object mine) {
        if (waitingFor == mine) {
            waitingFor = null;
            running = null;
            pane.wait.say(cancelledSays.get());
        }
    }

    /** A newer load or selection: the one that runs is dropped without a word. */
    private void stopWaiting() {
        TaskExecutor.Cancellable task = running;
        waitingFor = null;
        running = null;
        if (task != null) {
            task.cancel();
        }
        pane.wait.done();
    }
}
