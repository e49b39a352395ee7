package dev.runnerdesk.ui.runners;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.LiveEvents;
import dev.runnerdesk.ui.connections.ViewLoader;
import dev.runnerdesk.ui.files.FilesController;
import dev.runnerdesk.ui.metrics.MetricsController;
import dev.runnerdesk.ui.screen.ScreenController;
import dev.runnerdesk.ui.terminal.TerminalSessions;
import dev.runnerdesk.ui.terminal.TerminalView;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.util.Duration;
import javafx.stage.Window;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The detail pane of the runner selected in the list. It follows that runner's own events (a gateway's per-runner
 * stream, else its polling): its Events tab takes them as they come, and each one has the runner read again, so its
 * state, session and TTL change without waiting for the list. One subscription at most — the runner shown, while the
 * Runners view is shown and the runner can still change — closed on a new selection, on deactivation and on a switch
 * of backend. The list's own subscription reaches it too; an event from both is shown once.
 */
final class RunnerDetailController {
    private static final System.Logger LOG = System.getLogger(RunnerDetailController.class.getName());
    private final ActiveConnection connection;
    private final LiveEvents own;
    /** Has a runner read again after an event of it (the list's coalesced updates). */
    private final Consumer<String> changed;
    /** The runner whose own events are followed now; null when none is. */
    private String followed;
    private final Notifier notifier;
    private final RunnerDetailModel model = new RunnerDetailModel();
    private final RunnerDetailView view = new RunnerDetailView(model);
    private final ScreenController screen;
    private final FilesController files;
    private final MetricsController metrics;
    private final ViewLoader loader;
    private final TerminalSessions terminals;
    private boolean active = true;
    private Consumer<String> openTimeline = id -> { };
    /** The runner whose session this pane started, until its terminal opens. */
    private String openWhenStarted;
    /** The runner whose events load the person cancelled; F5 loads them again. */
    private String eventsNotLoaded;

    /** Where "Open in timeline" goes. */
    void setOnOpenTimeline(Consumer<String> handler) {
        openTimeline = handler;
    }

    RunnerDetailController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, RunnerActions actions,
                           Consumer<String> copyId, RunnerListModel list, TerminalSessions terminals,
                           Supplier<Window> owner, Consumer<String> changed) {
        this.connection = connection;
        this.own = new LiveEvents(connection, tasks);
        this.changed = changed;
        this.notifier = notifier;
        this.loader = new ViewLoader(connection, tasks).showingWaitIn(view.eventsWait, "load the runner's events",
                "Cancelled — the runner's events were not loaded", this::eventsCancelled);
        this.screen = new ScreenController(connection, tasks, owner);
        view.screenTab.setContent(screen.view());
        view.screenTab.selectedProperty().addListener((o, was, now) -> screen.setShowing(now));
        this.files = new FilesController(connection, tasks, notifier, owner, list.role, this::openTerminalIn);
        view.filesTab.setContent(files.view());
        view.filesTab.selectedProperty().addListener((o, was, now) -> files.setShowing(now && active));
        this.metrics = new MetricsController(connection, tasks);
        view.metricsTab.setContent(metrics.view());
        view.metricsTab.selectedProperty().addListener((o, was, now) -> metrics.setShowing(now && active));
        this.terminals = terminals;
        view.openTerminalButton.setOnAction(e -> openShell());
        view.startButton.setOnAction(e -> current().ifPresent(r -> {
            // the terminal opens, with the keys in it, once the started session shows up
            openWhenStarted = r.runnerId();
            actions.startSession(r, sessionTtl(view.sessionTtl.getText()).orElse(Optional.empty()));
        }));
        view.stopButton.setOnAction(e -> current().ifPresent(r -> actions.stopSessions(List.of(r))));
        view.terminateButton.setOnAction(e -> current().ifPresent(r -> actions.terminate(List.of(r))));
        view.copyIdButton.setOnAction(e -> current().ifPresent(r -> copyId.accept(r.runnerId())));
        view.timelineButton.setOnAction(e -> current().ifPresent(r -> openTimeline.accept(r.runnerId())));
        view.actions.getChildren().setAll(
                RoleGate.wrap(view.openTerminalButton, RoleGate.reason(list.role, Role.Permission.OPERATE, "opening terminals")),
                RoleGate.wrap(view.startButton, RoleGate.reason(list.role, Role.Permission.OPERATE, "starting sessions")),
                view.sessionTtl,
                RoleGate.wrap(view.stopButton, RoleGate.reason(list.role, Role.Permission.OPERATE, "stopping sessions")),
                RoleGate.wrap(view.terminateButton, RoleGate.reason(list.role, Role.Permission.ADMINISTER, "terminating runners")));
        view.actions.visibleProperty().bind(list.actionsAllowed);
        view.actions.managedProperty().bind(list.actionsAllowed);
        model.runner.addListener((o, was, r) -> updateButtons(r, list));
        view.sessionTtl.textProperty().addListener((o, was, now) -> updateButtons(model.runner.get(), list));
        list.mayAdminister.addListener((o, was, now) -> updateButtons(model.runner.get(), list));
        list.mayOperate.addListener((o, was, now) -> updateButtons(model.runner.get(), list));
    }

    Node view() {
        return view.node();
    }

    RunnerDetailModel model() {
        return model;
    }

    /** Shows {@code runner} (null: none, or {@code selected} of them). */
    void show(Runner runner, int selected) {
        model.selectedCount.set(selected);
        Runner before = model.runner.get();
        model.runner.set(runner);
        view.showScreenTab(ScreenController.hasScreen(runner));
        if (active) {
            screen.watch(runner);
        }
        files.show(runner);
        metrics.show(runner);
        if (runner == null) {
            loader.cancel();
            unfollow();
            model.clear();
            return;
        }
        if (before == null || !before.runnerId().equals(runner.runnerId())) {
            unfollow();
            model.clear();
            loadEvents(runner);
        } else if (runner.state().isFinal()) {
            unfollow(); // an ended runner has nothing more to say
        }
        Optional<Session> session = runner.activeSession().filter(Session::isActive);
        if (runner.runnerId().equals(openWhenStarted) && session.isPresent()) {
            openWhenStarted = null;
            openShell();
        } else {
            session.ifPresent(s -> terminals.reveal(s.sessionId()));
        }
    }

    /**
     * Opens the shown runner's shell: its session's terminal, or — a live runner without a session, which the caller
     * may start — a session started first, whose terminal opens once it shows up (Enter or a double click on a runner,
     * its row menu, the palette).
     */
    void openOrStartShell() {
        Runner runner = model.runner.get();
        if (runner != null && runner.activeSession().filter(Session::isActive).isEmpty() && !view.startButton.isDisabled()) {
            view.startButton.fire(); // Start session's own rules (a live runner, a role that may), then its terminal
            return;
        }
        openShell();
    }

    /**
     * Opens the shown runner's session terminal in the Sessions drawer with the keys in it ("Open terminal"); a runner
     * without a session says how to get one.
     */
    void openShell() {
        Runner runner = model.runner.get();
        RunnerService service = connection.service();
        if (runner == null || service == null) {
            return;
        }
        Optional<Session> session = runner.activeSession().filter(Session::isActive);
        if (session.isEmpty()) {
            notifier.info("No session on " + runner.runnerId(), runner.state().isFinal() ? "The runner has ended."
                    : "Start a session first (Start session); its terminal opens by itself.");
            return;
        }
        String sessionId = session.get().sessionId();
        terminals.show(service, runner.runnerId(), sessionId, runner.providerType(), true, e -> {
            if (!connection.report(e)) {
                notifier.error("Cannot open the terminal of " + sessionId, e);
            }
        });
    }

    /**
     * "Terminal here" in the Files tab: the runner's terminal, as Enter on the runner opens it; where a session is open
     * already, {@code cd} into {@code folder} is typed into it once it is connected (a session started now opens its
     * terminal at the start folder).
     */
    private void openTerminalIn(String folder) {
        Optional<Session> session = current().flatMap(r -> r.activeSession().filter(Session::isActive));
        openOrStartShell();
        if (session.isEmpty() || folder.isEmpty()) {
            return;
        }
        String key = session.get().sessionId();
        String cd = "cd '" + folder.replace("'", "'\\''") + "'\r";
        int[] tries = {0};
        Timeline typing = new Timeline();
        typing.getKeyFrames().add(new KeyFrame(Duration.millis(250), e -> {
            Optional<TerminalView> t = terminals.terminal(key).filter(TerminalView::connected);
            if (t.isPresent() || ++tries[0] > 40) { // ten seconds at most: a terminal that does not connect is left be
                typing.stop();
                t.ifPresent(v -> v.send(cd));
            }
        }));
        typing.setCycleCount(Timeline.INDEFINITE);
        typing.play();
    }

    /** The Runners view is shown (true) or hidden: the screen is watched only while it is shown. */
    void setActive(boolean on) {
        active = on;
        screen.watch(on ? model.runner.get() : null);
        files.setShowing(on && view.filesTab.isSelected());
        metrics.setShowing(on && view.metricsTab.isSelected());
        if (!on) {
            unfollow();
        } else {
            refollow();
        }
    }

    /** Follows the shown runner's own events after the newest one shown, unless it has ended or is followed already. */
    private void follow(Runner runner) {
        String runnerId = runner.runnerId();
        if (!active || runner.state().isFinal() || runnerId.equals(followed)) {
            return;
        }
        followed = runnerId;
        own.start(Optional.of(runnerId), model.newestSeq(), event -> {
            if (take(event)) {
                changed.accept(runnerId);
            }
        }, note -> { }, e -> LOG.log(System.Logger.Level.INFO, "no live events of " + runnerId + " (" + Notifier.describe(e)
                + "); the list's updates still reach its detail"));
    }

    /**
     * Shown again, or the connection is usable again: the shown runner's events are read afresh and its stream opened
     * from the newest of them (what came meanwhile is in the page; a load or subscription that failed offline is made
     * now).
     */
    void refollow() {
        unfollow();
        if (active && model.runner.get() != null) {
            loadEvents(model.runner.get());
        }
    }

    private void unfollow() {
        own.stop();
        followed = null;
    }

    /** A live event from the list's subscription. */
    void onEvent(AuditEvent event) {
        take(event);
    }

    /** An event of the runner shown goes to its Events tab and its Screen; false when it is another runner's. */
    private boolean take(AuditEvent event) {
        if (event.runnerId().isEmpty() || !event.runnerId().equals(model.runnerId())) {
            return false;
        }
        model.add(event);
        screen.onEvent(event);
        return true;
    }

    private record Loaded(EventPage page, String isolation) {
    }

    private void loadEvents(Runner runner) {
        String runnerId = runner.runnerId();
        eventsNotLoaded = null;
        loader.saying("load the events of " + runnerId, "Cancelled — the events of " + runnerId
                + " were not loaded; press F5 to try again").load("Loading events of " + runnerId,
                service -> new Loaded(service.events(EventQuery.ofRunner(runnerId, RunnerDetailModel.EVENTS_KEPT)),
                        isolation(service, runner)),
                (Loaded loaded) -> {
                    if (model.runnerId().filter(runnerId::equals).isPresent()) {
                        model.setEvents(loaded.page().events(), loaded.page().total());
                        loaded.page().events().forEach(screen::onEvent); // the stream follows on from these
                        model.isolation.set(loaded.isolation());
                        follow(model.runner.get());
                    }
                }, e -> notifier.error("Cannot load the events of " + runnerId, e));
    }

    /** The person cancelled the events load: the pane shows what it had, and follows nothing until F5 loads them. */
    private void eventsCancelled() {
        eventsNotLoaded = model.runnerId().orElse(null);
    }

    /** F5 in the Runners view: the shown runner's events, if the person cancelled their load, are loaded now. */
    void reloadCancelledEvents() {
        if (active && eventsNotLoaded != null && model.runnerId().filter(eventsNotLoaded::equals).isPresent()) {
            loadEvents(model.runner.get());
        }
    }

    /** What the runner's provider says of how a runner of its profile is confined here; empty when it cannot be had. */
    private static String isolation(RunnerService service, Runner runner) {
        try {
            return service.providers().stream().filter(p -> p.type() == runner.providerType()).findFirst()
                    .map(p -> p.isolation().getOrDefault(runner.toolProfile(), "")).orElse("");
        } catch (RuntimeException e) {
            return ""; // the events are what this load is for; the isolation line is left out
        }
    }

    private Optional<Runner> current() {
        return Optional.ofNullable(model.runner.get());
    }

    private void updateButtons(Runner r, RunnerListModel list) {
        boolean live = r != null && !r.state().isFinal();
        boolean hasSession = r != null && r.activeSession().filter(Session::isActive).isPresent();
        boolean ttlOk = sessionTtl(view.sessionTtl.getText()).isPresent();
        view.sessionTtl.pseudoClassStateChanged(Styles.STATE_DANGER, !ttlOk);
        view.sessionTtl.setDisable(!live || hasSession || !list.mayOperate.get());
        view.startButton.setDisable(!live || hasSession || !list.mayOperate.get() || !ttlOk);
        view.openTerminalButton.setDisable(!hasSession || !list.mayOperate.get());
        view.stopButton.setDisable(!hasSession || !list.mayOperate.get());
        view.terminateButton.setDisable(!live || !list.mayAdminister.get());
    }

    /**
     * The session TTL typed: empty (the runner's own) or seconds in {@link CreateRunnerRequest#TTL}; nothing when it is
     * neither. The profile's maximum is the service's to check, which says it when it refuses.
     */
    static Optional<Optional<Integer>> sessionTtl(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return Optional.of(Optional.empty());
        }
        try {
            int seconds = Integer.parseInt(t);
            return CreateRunnerRequest.TTL.contains(seconds) ? Optional.of(Optional.of(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
