package dev.runnerdesk.ui.screen;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.stage.Window;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Watches a computer-use runner's screen: loads the session's earlier actions from the events page, takes the
 * runner's live events from its owner ({@link #onEvent}: the runner detail, which follows the runner's own stream,
 * so a runner has one stream however many parts of the pane show it), and shows the screenshot of the action
 * chosen — the newest while following. Screenshots load off the FX thread, only while the view is showing, a few
 * kept in memory.
 * <p>Not on {@code ViewLoader}: the screenshot loads are keyed by the action chosen, not by the connection; its own
 * generation counter drops them and a stale history.
 */
public final class ScreenController {
    private static final System.Logger LOG = System.getLogger(ScreenController.class.getName());
    private static final int CACHED_IMAGES = 24;

    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Supplier<Window> owner;
    private final ScreenModel model = new ScreenModel();
    private final ScreenView view = new ScreenView(model);
    private final Map<Long, Image> images = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Image> eldest) {
            return size() > CACHED_IMAGES;
        }
    };
    private TaskExecutor.Cancellable starting;
    /** The runner watched, to load its actions again after a cancel. */
    private Runner watched;
    /** The watched runner's earlier actions are in: a live one makes the status say "Live". */
    private boolean historyLoaded;
    private TaskExecutor.Cancellable loadingImage;
    private long loadingSeq = -1;
    /** The action whose screenshot load the person cancelled: not loaded again until asked, or chosen anew. */
    private long cancelledSeq = -1;
    private int generation;
    private boolean showing;

    public ScreenController(ActiveConnection connection, TaskExecutor tasks, Supplier<Window> owner) {
        this.connection = connection;
        this.tasks = tasks;
        this.owner = owner;
        model.index.addListener((o, was, now) -> render());
        model.frames.addListener((ListChangeListener<ComputerAction>) c -> render());
        model.follow.addListener((o, was, on) -> {
            if (on) {
                model.latest();
            }
        });
        view.firstButton.setOnAction(e -> model.first());
        view.backButton.setOnAction(e -> model.previous());
        view.forwardButton.setOnAction(e -> model.next());
        view.latestButton.setOnAction(e -> model.latest());
        view.fullSizeButton.setOnAction(e -> openFullSize());
        view.loadAgainButton.setOnAction(e -> loadAgain());
        view.loadScreenshotAgainButton.setOnAction(e -> loadScreenshotAgain());
        view.screenshot.setOnMouseClicked(e -> openFullSize());
        view.root.setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case LEFT -> model.previous();
                case RIGHT -> model.next();
                case HOME -> model.first();
                case END -> model.latest();
                default -> {
                    return;
                }
            }
            e.consume();
        });
        render();
    }

    public Node view() {
        return view.node();
    }

    public ScreenModel model() {
        return model;
    }

    /** Whether a runner of this provider has a screen to watch. */
    public static boolean hasScreen(Runner runner) {
        return runner != null && runner.providerType() == ProviderType.CLAUDE_COMPUTER_USE;
    }

    /** Watches {@code runner} (its screen, if it has one); null or another provider stops watching. */
    public void watch(Runner runner) {
        if (!hasScreen(runner)) {
            stop();
            return;
        }
        if (runner.runnerId().equals(model.runnerId.get())) {
            return;
        }
        stop();
        start(runner);
    }

    /** Whether the view is on screen: screenshots are loaded only then. */
    public void setShowing(boolean on) {
        showing = on;
        render();
    }

    /** Stops following and forgets the runner. */
    public void stop() {
        generation++;
        if (starting != null) {
            starting.cancel();
            starting = null;
        }
        watched = null;
        view.wait.done();
        view.loadAgainButton.setVisible(false);
        cancelImage();
        images.clear();
        model.reset("");
    }

    /**
     * A live event of the runner the detail shows (its own stream, the list's subscription, or its loaded page): an
     * action of the runner watched joins the frames (each seq once).
     */
    public void onEvent(AuditEvent event) {
        if (event.runnerId().filter(id -> id.equals(model.runnerId.get())).isEmpty()) {
            return;
        }
        ComputerAction.of(event).ifPresent(a -> {
            model.addAll(List.of(a));
            if (historyLoaded) {
                model.status.set(live());
            }
        });
    }

    private void start(Runner runner) {
        RunnerService service = connection.service();
        String runnerId = runner.runnerId();
        watched = runner;
        view.loadAgainButton.setVisible(false);
        model.reset(runnerId);
        if (service == null) {
            model.status.set("Not connected.");
            return;
        }
        int gen = ++generation;
        historyLoaded = false;
        Optional<String> activeSession = runner.activeSession().filter(Session::isActive).map(Session::sessionId);
        model.status.set("Loading the session's actions…");
        view.wait.start("Waiting for " + connection.where() + " to list the actions of runner " + runnerId,
                this::cancelStart);
        starting = tasks.submit("Watching the screen of " + runnerId, () -> history(service, runnerId, activeSession), history -> {
            starting = null;
            if (gen == generation) {
                view.wait.done();
                historyLoaded = true;
                model.addAll(history);
                model.status.set(live());
            }
        }, e -> {
            starting = null;
            if (gen == generation && e instanceof CancellationException) {
                startCancelled(); // in the status bar
            } else if (gen == generation) {
                view.wait.done();
                model.status.set("Cannot load the actions: " + Notifier.describe(e));
                connection.report(e);
            }
        });
    }

    /** Cancel beside the wait for the actions: they are not loaded; new ones still come live. */
    private void cancelStart() {
        if (starting != null) {
            starting.cancel();
            starting = null;
            startCancelled();
        }
    }

    private void startCancelled() {
        view.wait.say("Cancelled — the session's earlier actions were not loaded");
        model.status.set("New actions still appear live. Load the actions again to see the earlier ones.");
        view.loadAgainButton.setVisible(true);
    }

    private void loadAgain() {
        Runner runner = watched;
        if (runner != null && starting == null) {
            stop();
            start(runner);
        }
    }

    private String live() {
        return model.frames.isEmpty() ? "Live — each action of the agent appears here with the screen after it."
                : "Live — session " + model.frames.get(model.frames.size() - 1).sessionId();
    }

    /**
     * The actions of the active session, or, without one, of the newest session that acted; oldest first.
     * Called off the FX thread.
     */
    static List<ComputerAction> history(RunnerService service, String runnerId, Optional<String> activeSession) {
        Optional<String> session = activeSession;
        if (session.isEmpty()) {
            List<AuditEvent> newest = service.events(query(runnerId, Optional.empty(), 1)).events();
            if (newest.isEmpty()) {
                return List.of();
            }
            session = newest.get(0).sessionId();
        }
        EventQuery base = query(runnerId, session, EventQuery.MAX_LIMIT);
        List<ComputerAction> newestFirst = new ArrayList<>();
        EventQuery q = base;
        while (newestFirst.size() < ScreenModel.MAX_FRAMES) {
            EventPage page = service.events(q);
            page.events().forEach(e -> ComputerAction.of(e).ifPresent(newestFirst::add));
            if (page.events().size() < q.limit()) {
                break;
            }
            q = base.before(page.events().get(page.events().size() - 1).seq());
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private static EventQuery query(String runnerId, Optional<String> session, int limit) {
        return new EventQuery(Optional.of(runnerId), limit, Optional.empty(), Set.of(EventTypes.COMPUTER_ACTION), session,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    // ---- the frame shown

    private void render() {
        Optional<ComputerAction> current = model.current();
        if (current.map(ComputerAction::seq).orElse(-1L) != cancelledSeq) {
            cancelledSeq = -1; // another action chosen: choosing the cancelled one again loads it
        }
        if (current.isEmpty()) {
            cancelImage();
            view.caption.setText("");
            view.fullSizeButton.setDisable(true);
            model.shownSeq.set(-1);
            view.screenshot.showMessage(model.runnerId.get().isEmpty() ? ""
                    : "No actions yet: the screen appears here when the agent takes its first screenshot.");
            return;
        }
        ComputerAction a = current.get();
        view.caption.setText(a.stepCaption() + "  ·  " + ScreenView.CLOCK.format(a.at()));
        if (a.screenshot().isEmpty()) {
            cancelImage();
            view.fullSizeButton.setDisable(true);
            model.shownSeq.set(-1);
            view.screenshot.showMessage(Screenshots.NONE);
            return;
        }
        Image cached = images.get(a.seq());
        if (cached != null) {
            cancelImage();
            view.screenshot.show(cached, a);
            model.shownSeq.set(a.seq());
            view.fullSizeButton.setDisable(false);
            return;
        }
        if (!showing || loadingSeq == a.seq() || cancelledSeq == a.seq()) {
            return;
        }
        RunnerService service = connection.service();
        if (service == null) {
            return;
        }
        cancelImage();
        // the previous screenshot stays up until this one is in, so following does not flicker
        if (view.screenshot.image().isEmpty()) {
            view.screenshot.showMessage(Screenshots.LOADING);
        }
        int gen = generation;
        loadingSeq = a.seq();
        view.screenshotWait.start("Waiting for " + connection.where() + " to send the screenshot "
                + a.screenshot().get(), this::cancelScreenshot);
        loadingImage = Screenshots.load(tasks, service, a, image -> {
            loadingImage = null;
            loadingSeq = -1;
            view.screenshotWait.done();
            if (gen == generation) {
                images.put(a.seq(), image);
                if (model.current().filter(a::equals).isPresent()) {
                    render();
                }
            }
        }, e -> {
            loadingImage = null;
            loadingSeq = -1;
            view.screenshotWait.done();
            if (gen == generation && model.current().filter(a::equals).isPresent() && e instanceof CancellationException) {
                screenshotCancelled(a.seq()); // in the status bar
            } else if (gen == generation && model.current().filter(a::equals).isPresent()) {
                view.fullSizeButton.setDisable(true);
                model.shownSeq.set(-1);
                view.screenshot.showMessage(Screenshots.problem(e));
                LOG.log(System.Logger.Level.DEBUG, "screenshot " + a.screenshot().get() + ": " + Notifier.describe(e));
            }
        });
    }

    /** Stops loading a screenshot no longer wanted (another action shown); its wait, or the note of a cancel, goes. */
    private void cancelImage() {
        if (loadingImage != null) {
            loadingImage.cancel();
            loadingImage = null;
        }
        loadingSeq = -1;
        view.screenshotWait.done();
        view.loadScreenshotAgainButton.setVisible(false);
    }

    /** Cancel beside the wait for the screenshot: the load stops, and a screenshot that still arrives is dropped. */
    private void cancelScreenshot() {
        if (loadingImage == null) {
            return;
        }
        long seq = loadingSeq;
        loadingImage.cancel();
        loadingImage = null;
        loadingSeq = -1;
        screenshotCancelled(seq);
    }

    private void screenshotCancelled(long seq) {
        cancelledSeq = seq;
        view.screenshotWait.say("Cancelled — the screenshot was not loaded");
        view.loadScreenshotAgainButton.setVisible(true);
        view.fullSizeButton.setDisable(true);
        model.shownSeq.set(-1);
        view.screenshot.showMessage(Screenshots.NOT_LOADED);
    }

    private void loadScreenshotAgain() {
        cancelledSeq = -1;
        view.loadScreenshotAgainButton.setVisible(false);
        render();
    }

    private void openFullSize() {
        model.current().ifPresent(a -> {
            Image image = images.get(a.seq());
            if (image != null) {
                ScreenshotWindow.open(owner.get(), image, a);
            }
        });
    }
}
