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
    private TaskExecutor.Cancellable loadingScreenshot;

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
        model.selected.addListener((o, was, now) -> pane.show(now));
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
        if (loadingScreenshot != null) {
            loadingScreenshot.cancel();
        }
        RunnerService service = connection.service();
        if (service == null) {
            pane.screenshotProblem(action, "Not connected.");
            return;
        }
        loadingScreenshot = Screenshots.load(tasks, service, action, image -> {
            loadingScreenshot = null;
            pane.showScreenshot(action, image);
        }, e -> {
            loadingScreenshot = null;
            if (!(e instanceof CancellationException)) {
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
        String runnerId = event.runnerId().get();
        String sessionId = event.sessionId().get();
        tasks.submit("Loading recording " + index + " of " + sessionId,
                () -> Asciicast.parse(service.recording(runnerId, sessionId, index)),
                cast -> CastPlayer.open(cast, sessionId + " #" + index, owner.get(),
                        String.valueOf(Application.getUserAgentStylesheet()).contains("dark")),
                e -> notifier.error("Cannot replay the recording of " + sessionId, e));
    }
}
