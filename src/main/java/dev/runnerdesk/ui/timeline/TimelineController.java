package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.ViewController;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.LiveEvents;
import dev.runnerdesk.ui.connections.ViewLoader;
import javafx.animation.PauseTransition;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.scene.Node;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The audit timeline: loads a page of {@value TimelineModel#PAGE} events at a time as the person scrolls towards
 * the end (never everything), reloads a moment after the filter changes, and exports the whole filtered range in the
 * background. Its parts: {@link FollowMode} (live events at the top until the person scrolls away),
 * {@link LoadedChain} (the hash chain of what is loaded), {@link EventDetailController} (the selected event),
 * {@link AuditVerificationController} (the signed trail and Verify all) and {@link EventExport} (the file).
 */
public final class TimelineController extends ViewController {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final String NEWEST_WAIT = "load the events";
    private static final String NEWEST_CANCELLED = "Cancelled — the events were not loaded; press F5 to try again";

    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final Supplier<Window> owner;
    private final TimelineModel model;
    private final TimelineView view;
    private final ViewLoader loader;
    private final LoadedChain chain = new LoadedChain();
    private final FollowMode follow;
    private final EventDetailController detail;
    private final AuditVerificationController verification;
    private final PauseTransition debounce = new PauseTransition(Duration.millis(250));
    private final ChangeListener<RunnerService> onService = (o, was, now) -> resume();
    private final InvalidationListener onGeneration = o -> resume();
    private RunnerService loadedFrom;
    /** The load that runs (if one does) is of a first page: live events wait for it. */
    private boolean firstPage;
    /** What the first page that loads, and the one shown, answer: the filter as said, and the anchored seq. */
    private Filter loading;
    private Filter shown;

    public TimelineController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, Clock clock,
                              Supplier<Window> owner) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.owner = owner;
        this.model = new TimelineModel(clock);
        this.verification = new AuditVerificationController(connection, tasks, notifier, model, this::showSeq);
        this.detail = new EventDetailController(connection, tasks, notifier, model, owner);
        this.view = new TimelineView(model, detail.view(), verification.verifyButton(), verification.bar());
        this.loader = new ViewLoader(connection, tasks, model.loading).showingWaitIn(view.wait, NEWEST_WAIT, NEWEST_CANCELLED,
                this::loadCancelled);
        this.follow = new FollowMode(model, view.table, chain, new LiveEvents(connection, tasks),
                () -> firstPage && loader.isLoading(), this::reload, this::loadMore);
        view.refreshButton.setOnAction(e -> reload());
        view.jumpButton.setOnAction(e -> jumpToLatest());
        view.exportItems.forEach((format, item) -> item.setOnAction(e -> exportWithChooser(format)));
        view.exportButton.disableProperty().bind(model.loaded.not());
        view.table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> model.selected.set(now));
        view.status.textProperty().bind(Bindings.createStringBinding(() -> {
            if (!model.loaded.get()) {
                return "";
            }
            long total = model.total.get();
            String all = String.format(Locale.ROOT, "%,d %s", total, total == 1 ? "event" : "events");
            return model.events.size() < total ? String.format(Locale.ROOT, "showing %,d of %s", model.events.size(), all) : all;
        }, model.total, model.events, model.loaded));
        debounce.setOnFinished(e -> reload());
        model.queryLine.addListener((o, was, now) -> {
            model.anchorSeq.set(0); // a new filter shows the newest events that match it
            debounce.playFromStart();
        });
        activateWhenShown(view.root);
    }

    @Override
    public Node view() {
        return view.root;
    }

    public TimelineModel model() {
        return model;
    }

    /** Where "runner" links in the detail pane go (the main window shows the runner in the Runners view). */
    public void setOnOpenRunner(Consumer<String> handler) {
        detail.setOnOpenRunner(handler);
    }

    /** Where "session" links go: (runner id or null, session id). */
    public void setOnOpenSession(BiConsumer<String, String> handler) {
        detail.setOnOpenSession(handler);
    }

    /** Shows one runner's events (every other filter cleared); the caller navigates to the view. */
    public void showRunner(String runnerId) {
        model.clearFilter();
        model.runner.set(runnerId);
        debounce.stop();
        reload();
    }

    /**
     * Shows the events around {@code seq}, unfiltered, with it selected (Verify all's "Show seq N"). New events wait
     * behind the jump button, which goes back to the newest.
     */
    public void showSeq(long seq) {
        model.clearFilter();
        model.anchorSeq.set(seq);
        model.pending.clear();
        model.pendingCount.set(0);
        model.followWanted.set(false);
        debounce.stop();
        reload();
    }

    /** Shows every runner's events, unfiltered. */
    public void showAll() {
        model.clearFilter();
        debounce.stop();
        reload();
    }

    public void clearFilter() {
        model.clearFilter();
    }

    /** Shows only the preset's event types. */
    public void applyPreset(TypePreset preset) {
        model.showOnly(preset);
    }

    /** Verify all: the backend checks the whole trail in the background (the button beside the badge does this). */
    public void verifyAll() {
        verification.verifyAll();
    }

    /** Stops a running Verify all. */
    public void cancelVerification() {
        verification.cancel();
    }

    /** Shows the events that arrived while paused and goes back to the top, following again. */
    public void jumpToLatest() {
        follow.jumpToLatest();
    }

    /** Shown: follow the connection, load the newest page and the live events. */
    @Override
    protected void onActivate() {
        connection.serviceProperty().addListener(onService);
        connection.generationProperty().addListener(onGeneration);
        verification.activate();
        resume();
    }

    /** Hidden: stop following; what is loaded stays until shown again (then it reloads). */
    @Override
    protected void onDeactivate() {
        connection.serviceProperty().removeListener(onService);
        connection.generationProperty().removeListener(onGeneration);
        verification.deactivate();
        debounce.stop();
        follow.stop();
        loader.cancel();
    }

    private void resume() {
        if (!isActive()) {
            return;
        }
        if (connection.service() != loadedFrom) {
            model.events.clear();
            model.loaded.set(false);
            model.loadCancelled.set(false);
            loadedFrom = connection.service();
        }
        if (loadedFrom == null) {
            return;
        }
        follow.start();
        reload();
    }

    // ---- loading pages

    /** Loads the newest page for the filter; what was loaded goes. */
    @Override
    public void reload() {
        if (connection.service() == null || !isActive()) {
            return;
        }
        EventQuery query = model.query(TimelineModel.PAGE);
        if (!model.filterProblem.get().isEmpty()) {
            loader.cancel(); // what the last filter asked for is no longer wanted
            return;
        }
        boolean verify = !query.isFiltered() && query.runnerId().isEmpty();
        firstPage = true;
        loading = new Filter(model.queryLine.get(), model.anchorSeq.get());
        follow.firstPageLoading();
        model.loadCancelled.set(false);
        loader.saying(NEWEST_WAIT, NEWEST_CANCELLED).load("Loading events", service -> {
            EventPage page = service.events(query);
            return new Loaded(page, verify ? chain.checkPage(service, page.events(), Optional.empty()) : null);
        }, loaded -> {
            model.shownQuery.set(query);
            shown = loading;
            model.pending.clear();
            model.pendingCount.set(0);
            model.total.set(loaded.page.total());
            model.hasMore.set(loaded.page.events().size() == query.limit());
            model.pagesLoaded.set(1);
            model.routeNote.set(loaded.page.note());
            chain.restart(verify);
            model.selected.set(null);
            model.events.setAll(loaded.page.events());
            // rows equal to those shown before keep their cells: redraw them for the new highlight
            view.table.refresh();
            model.loaded.set(true);
            chain.pageChecked(loaded.chain);
            model.loadedCheck.set(chain.state(model.events));
            follow.firstPageShown();
        }, e -> {
            // what was shown answered another filter: show nothing rather than the wrong events
            model.shownQuery.set(null);
            model.events.clear();
            model.total.set(0);
            model.hasMore.set(false);
            model.loadedCheck.set(ChainBadge.LoadedCheck.NONE);
            model.loaded.set(true);
            model.filterProblem.set(Notifier.describe(e));
            // a filter the service cannot answer is said in the table's empty state, beside Clear filters
            if (!(e instanceof RunnerException.InvalidRequest || e instanceof RunnerException.NotFound)) {
                notifier.error("Cannot load events", e);
            }
        });
    }

    /** Loads the page before the oldest event loaded, if there is one. */
    public void loadMore() {
        EventQuery shown = model.shownQuery.get();
        if (connection.service() == null || shown == null || !model.hasMore.get() || loader.isLoading()
                || model.events.isEmpty()) {
            return;
        }
        AuditEvent oldest = model.oldest().get();
        EventQuery query = shown.before(oldest.seq());
        boolean verify = chain.checking();
        firstPage = false;
        loader.saying("load older events", "Cancelled — older events were not loaded; those shown stay")
                .load("Loading older events", service -> {
            EventPage page = service.events(query);
            return new Loaded(page, verify ? chain.checkPage(service, page.events(), Optional.of(oldest)) : null);
        }, loaded -> {
            model.hasMore.set(loaded.page.events().size() == query.limit());
            model.pagesLoaded.set(model.pagesLoaded.get() + 1);
            model.events.addAll(loaded.page.events());
            chain.pageChecked(loaded.chain);
            model.loadedCheck.set(chain.state(model.events));
        }, e -> notifier.error("Cannot load older events", e));
    }

    /**
     * The person cancelled a load: what is shown stays, unless it answered another filter. A first page that will not come no longer holds back the live
     * events, and an empty table says the load was cancelled rather than loading on and on; older events are asked for
     * again only when the person scrolls to the end again.
     */
    private void loadCancelled() {
        if (!firstPage) {
            return;
        }
        firstPage = false;
        if (model.shownQuery.get() != null && !loading.equals(shown)) {
            // what is shown answered another filter: show nothing rather than events the filter bar does not describe
            model.shownQuery.set(null);
            model.events.clear();
            model.total.set(0);
            model.hasMore.set(false);
            model.loadedCheck.set(ChainBadge.LoadedCheck.NONE);
            model.loaded.set(false);
        }
        model.loadCancelled.set(!model.loaded.get());
        follow.firstPageCancelled();
    }

    /** A filter as the person set it (a relative range stays the same filter as time passes). */
    private record Filter(String line, long anchorSeq) {
    }

    /** A page and, in the unfiltered view, its chain check (made off the FX thread with the load). */
    private record Loaded(EventPage page, ChainVerification chain) {
    }

    // ---- export

    /** Asks for a file, then exports what the filter selects. */
    public void exportWithChooser(ExportFormat format) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export events as " + format.label);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(format.label, format.pattern));
        chooser.setInitialFileName("runnerdesk-events-" + FILE_TIME.format(LocalDateTime.now(model.clock))
                + format.pattern.substring(1));
        File file = chooser.showSaveDialog(owner.get());
        if (file != null) {
            export(file.toPath(), format);
        }
    }

    /**
     * Writes every event the shown filter selects — the whole range, not only what is loaded — newest first, to
     * {@code file} in the background with progress. The file appears complete or not at all.
     */
    public TaskExecutor.Cancellable export(Path file, ExportFormat format) {
        RunnerService service = connection.service();
        EventQuery shown = model.shownQuery.get() != null ? model.shownQuery.get() : model.query(EventQuery.MAX_LIMIT);
        if (service == null) {
            notifier.error("Cannot export", "Not connected.");
            return () -> { };
        }
        model.exportStatus.set("Exporting…");
        return tasks.submitWithProgress("Exporting events to " + file.getFileName(),
                progress -> EventExport.write(service, shown, format, file, progress::update), written -> {
                    String text = String.format(Locale.ROOT, "%,d %s to %s", written, written == 1 ? "event" : "events",
                            file.getFileName());
                    model.exportStatus.set("Exported " + text);
                    notifier.info("Export finished", text);
                }, e -> {
                    model.exportStatus.set("Export failed");
                    if (!connection.report(e)) {
                        notifier.error("Cannot export events", e);
                    }
                });
    }
}
