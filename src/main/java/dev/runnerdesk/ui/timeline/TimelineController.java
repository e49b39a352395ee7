package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.ViewController;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.LiveEvents;
import dev.runnerdesk.ui.connections.ViewLoader;
import dev.runnerdesk.ui.screen.ComputerAction;
import dev.runnerdesk.ui.screen.ScreenshotWindow;
import dev.runnerdesk.ui.screen.Screenshots;
import javafx.animation.PauseTransition;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.collections.SetChangeListener;
import javafx.scene.Node;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The audit timeline: loads a page of {@value TimelineModel#PAGE} events at a time as the person scrolls towards
 * the end (never everything), follows live events at the top until the person scrolls away, verifies the hash
 * chain of what it shows when the view is unfiltered, and exports the whole filtered range in the background.
 */
public final class TimelineController extends ViewController {
    private static final System.Logger LOG = System.getLogger(TimelineController.class.getName());
    /** Load the next page when the last visible row is this close to the end of what is loaded. */
    private static final int PREFETCH_ROWS = 50;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final LiveEvents live;
    private final Notifier notifier;
    private final Supplier<Window> owner;
    private final TimelineModel model;
    private final TimelineView view;
    private final AuditVerificationController verification;
    private final PauseTransition debounce = new PauseTransition(Duration.millis(250));
    private final ChangeListener<RunnerService> onService = (o, was, now) -> resume();
    private final InvalidationListener onGeneration = o -> resume();
    private final List<AuditEvent> early = new ArrayList<>();
    private Consumer<String> onOpenRunner = id -> { };
    private BiConsumer<String, String> onOpenSession = (runner, session) -> { };
    private final ViewLoader loader;
    private VirtualFlow<?> flow;
    private TaskExecutor.Cancellable exporting;
    private TaskExecutor.Cancellable loadingScreenshot;
    private RunnerService loadedFrom;
    /** The load that runs (if one does) is of a first page: live events wait for it. */
    private boolean firstPage;
    private boolean syncingChecks;
    // the chain of what is loaded (unfiltered view only): the lowest problem found so far
    private boolean checkChain;
    /** Events up to this seq are hashed in the form used before RFC 8785 (asked of the backend once, when needed). */
    private volatile long legacyUntil;
    private volatile boolean legacyAsked;
    private volatile RunnerService legacyOf;
    private ChainVerification chainProblem;

    public TimelineController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, java.time.Clock clock,
                              Supplier<Window> owner) {
        this.connection = connection;
        this.live = new LiveEvents(connection, tasks);
        this.tasks = tasks;
        this.notifier = notifier;
        this.owner = owner;
        this.model = new TimelineModel(clock);
        this.loader = new ViewLoader(connection, tasks, model.loading);
        this.verification = new AuditVerificationController(connection, tasks, notifier, model, this::showSeq);
        this.view = new TimelineView(model, verification.verifyButton(), verification.bar());
        view.onReplay = this::replay;
        view.onScreenshot = this::loadScreenshot;
        view.onFullSize = (action, image) -> ScreenshotWindow.open(owner.get(), image, action);
        wireFilters();
        view.refreshButton.setOnAction(e -> reload());
        view.clearButton.setOnAction(e -> clearFilter());
        view.clearButton.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> !model.filtered(),
                model.queryLine));
        view.jumpButton.setOnAction(e -> jumpToLatest());
        view.exportItems.forEach((format, item) -> item.setOnAction(e -> exportWithChooser(format)));
        view.exportButton.disableProperty().bind(model.loaded.not());
        view.runnerLink.setOnAction(e -> current().flatMap(AuditEvent::runnerId).ifPresent(id -> onOpenRunner.accept(id)));
        view.sessionLink.setOnAction(e -> current().ifPresent(ev -> ev.sessionId().ifPresent(
                s -> onOpenSession.accept(ev.runnerId().orElse(null), s))));
        view.filterRunnerButton.setOnAction(e -> current().flatMap(AuditEvent::runnerId).ifPresent(model.runner::set));
        view.filterSessionButton.setOnAction(e -> current().flatMap(AuditEvent::sessionId).ifPresent(model.session::set));
        view.table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> model.selected.set(now));
        model.selected.addListener((o, was, now) -> view.showDetail(now));
        view.table.skinProperty().addListener((o, was, skin) -> attachFlow());
        model.events.addListener((ListChangeListener<AuditEvent>) c -> scrolled());
        model.followWanted.addListener((o, was, on) -> {
            if (on) {
                jumpToLatest();
            }
        });
        view.status.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            if (!model.loaded.get()) {
                return "";
            }
            long total = model.total.get();
            String all = String.format(Locale.ROOT, "%,d %s", total, total == 1 ? "event" : "events");
            return model.events.size() < total ? String.format(Locale.ROOT, "showing %,d of %s", model.events.size(), all) : all;
        }, model.total, model.events, model.loaded));
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
        onOpenRunner = handler;
    }

    /** Where "session" links go: (runner id or null, session id). */
    public void setOnOpenSession(BiConsumer<String, String> handler) {
        onOpenSession = handler;
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

    /** Verify all: the backend checks the whole trail in the background (the button beside the badge does this). */
    public void verifyAll() {
        verification.verifyAll();
    }

    /** Stops a running Verify all. */
    public void cancelVerification() {
        verification.cancel();
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
        closeSubscription();
        loader.cancel();
    }

    private void resume() {
        if (!isActive()) {
            return;
        }
        if (connection.service() != loadedFrom) {
            model.events.clear();
            model.loaded.set(false);
            loadedFrom = connection.service();
        }
        if (loadedFrom == null) {
            return;
        }
        subscribe();
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
        early.clear();
        loader.load("Loading events", service -> {
            EventPage page = service.events(query);
            return new Loaded(page, verify ? verifyOlder(service, page.events(), Optional.empty()) : null);
        }, loaded -> {
            model.shownQuery.set(query);
            model.pending.clear();
            model.pendingCount.set(0);
            model.total.set(loaded.page.total());
            model.hasMore.set(loaded.page.events().size() == query.limit());
            model.pagesLoaded.set(1);
            checkChain = verify;
            chainProblem = null;
            model.selected.set(null);
            model.events.setAll(loaded.page.events());
            // rows equal to those shown before keep their cells: redraw them for the new highlight
            view.table.refresh();
            model.loaded.set(true);
            mergeChain(loaded.chain);
            if (model.anchorSeq.get() > 0) {
                selectAnchor();
            } else {
                view.table.scrollTo(0);
            }
            List<AuditEvent> arrived = new ArrayList<>(early);
            early.clear();
            arrived.forEach(this::onLive);
        }, e -> {
            // what was shown answered another filter: show nothing rather than the wrong events
            model.shownQuery.set(null);
            model.events.clear();
            model.total.set(0);
            model.hasMore.set(false);
            model.loadedCheck.set(ChainBadge.LoadedCheck.NONE);
            model.loaded.set(true);
            model.filterProblem.set(Notifier.describe(e));
            notifier.error("Cannot load events", e);
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
        boolean verify = checkChain;
        firstPage = false;
        loader.load("Loading older events", service -> {
            EventPage page = service.events(query);
            return new Loaded(page, verify ? verifyOlder(service, page.events(), Optional.of(oldest)) : null);
        }, loaded -> {
            model.hasMore.set(loaded.page.events().size() == query.limit());
            model.pagesLoaded.set(model.pagesLoaded.get() + 1);
            model.events.addAll(loaded.page.events());
            mergeChain(loaded.chain);
        }, e -> notifier.error("Cannot load older events", e));
    }

    private record Loaded(EventPage page, ChainVerification chain) {
    }

    // ---- the hash chain of what is shown

    /**
     * Checks a page (newest first) in ascending order, linked to {@code newerLoaded} (the oldest event loaded
     * before it), so the check runs across page boundaries; seq 1 must link to the genesis hash. Off the FX thread.
     * Events hashed before RFC 8785 are checked in their own form: where content seems changed, the backend is
     * asked up to which seq that form holds (once; a backend without a signed trail has none).
     */
    private ChainVerification verifyOlder(RunnerService service, List<AuditEvent> newestFirst, Optional<AuditEvent> newerLoaded) {
        List<AuditEvent> ascending = new ArrayList<>(newestFirst);
        Collections.reverse(ascending);
        newerLoaded.ifPresent(ascending::add);
        String firstPrev = !ascending.isEmpty() && ascending.get(0).seq() == 1 ? AuditChain.GENESIS : null;
        if (service != legacyOf) { // another backend: its own legacy seq
            legacyOf = service;
            legacyUntil = 0;
            legacyAsked = false;
        }
        ChainVerification v = AuditChain.verify(ascending, firstPrev, legacyUntil);
        if (v instanceof ChainVerification.Failed f && f.problem() == ChainVerification.Problem.CONTENT_CHANGED && !legacyAsked) {
            legacyAsked = true;
            try {
                legacyUntil = service.auditStatus().legacyFormUntilSeq();
                v = AuditChain.verify(ascending, firstPrev, legacyUntil);
            } catch (RuntimeException noSignedTrail) {
                // a gateway without the audit routes: its events are all checked in today's form
            }
        }
        return v;
    }

    /** Keeps the lowest problem found in what is loaded; the badge joins it with the signed checkpoints. */
    private void mergeChain(ChainVerification v) {
        if (!checkChain) {
            model.loadedCheck.set(ChainBadge.LoadedCheck.UNCHECKED);
            return;
        }
        if (v != null && !v.isVerified() && (chainProblem == null || seqOf(v) < seqOf(chainProblem))) {
            chainProblem = v;
        }
        if (chainProblem != null) {
            model.loadedCheck.set(ChainBadge.LoadedCheck.of(chainProblem));
        } else {
            long from = model.oldest().map(AuditEvent::seq).orElse(0L);
            long to = model.newest().map(AuditEvent::seq).orElse(0L);
            model.loadedCheck.set(ChainBadge.LoadedCheck.of(new ChainVerification.Verified(from, to, model.events.size())));
        }
    }

    private static long seqOf(ChainVerification v) {
        return v instanceof ChainVerification.Failed f ? f.seq() : Long.MAX_VALUE;
    }

    // ---- live events and follow mode

    private void subscribe() {
        live.start(this::onLive, () -> { },
                e -> LOG.log(System.Logger.Level.INFO, "no live events for the timeline: " + Notifier.describe(e)));
    }

    private void closeSubscription() {
        live.stop();
    }

    private void onLive(AuditEvent e) {
        if (firstPage && loader.isLoading()) {
            early.add(e);
            return;
        }
        EventQuery shown = model.shownQuery.get();
        if (shown == null || !shown.matches(e)) {
            return;
        }
        long newest = !model.pending.isEmpty() ? model.pending.get(model.pending.size() - 1).seq()
                : model.newest().map(AuditEvent::seq).orElse(0L);
        if (e.seq() <= newest) {
            return; // already in the page that loaded
        }
        model.total.set(model.total.get() + 1);
        if (model.following()) {
            insertAtTop(List.of(e));
        } else {
            model.pending.add(e);
            model.pendingCount.set(model.pending.size());
        }
    }

    /** Puts events (ascending) above the newest loaded one, keeping the chain check and the memory bound. */
    private void insertAtTop(List<AuditEvent> ascending) {
        if (ascending.isEmpty()) {
            return;
        }
        if (checkChain) {
            List<AuditEvent> linked = new ArrayList<>();
            model.newest().ifPresent(linked::add);
            linked.addAll(ascending);
            ChainVerification v = AuditChain.verify(linked, linked.get(0).seq() == 1 ? AuditChain.GENESIS : null, legacyUntil);
            if (!v.isVerified() && (chainProblem == null || seqOf(v) < seqOf(chainProblem))) {
                chainProblem = v;
            }
        }
        List<AuditEvent> newestFirst = new ArrayList<>(ascending);
        Collections.reverse(newestFirst);
        model.events.addAll(0, newestFirst);
        int excess = model.events.size() - TimelineModel.LIVE_CAP;
        if (excess > 0) {
            model.events.remove(model.events.size() - excess, model.events.size());
            model.hasMore.set(true);
        }
        mergeChain(null);
    }

    /** Shows the events that arrived while paused and goes back to the top, following again. */
    public void jumpToLatest() {
        if (model.anchorSeq.get() > 0) {
            // the events above an anchored page are not loaded: load the newest page instead
            model.anchorSeq.set(0);
            model.pending.clear();
            model.pendingCount.set(0);
            model.followWanted.set(true);
            reload();
            return;
        }
        List<AuditEvent> arrived = new ArrayList<>(model.pending);
        model.pending.clear();
        model.pendingCount.set(0);
        if (!model.events.isEmpty()) {
            view.table.scrollTo(0);
        }
        model.atTop.set(true);
        insertAtTop(arrived);
        if (!model.events.isEmpty()) {
            view.table.scrollTo(0);
        }
        if (!model.followWanted.get()) {
            model.followWanted.set(true);
        }
    }

    /** Selects the anchored event in the page loaded around it, a few rows from the top. */
    private void selectAnchor() {
        long seq = model.anchorSeq.get();
        for (int i = 0; i < model.events.size(); i++) {
            if (model.events.get(i).seq() == seq) {
                view.table.getSelectionModel().clearAndSelect(i);
                view.table.scrollTo(Math.max(0, i - 3));
                return;
            }
        }
        view.table.scrollTo(0);
    }

    private void attachFlow() {
        if (view.table.getSkin() == null) {
            return;
        }
        Node found = view.table.lookup(".virtual-flow");
        if (found instanceof VirtualFlow<?> f && f != flow) {
            flow = f;
            flow.positionProperty().addListener((o, was, now) -> scrolled());
        }
    }

    /** The person scrolled (or rows changed): follow only at the top; load the next page near the end. */
    private void scrolled() {
        if (flow == null) {
            attachFlow();
            if (flow == null) {
                return;
            }
        }
        // the position, not the first visible cell: cells are laid out a pulse later than a scrollTo
        boolean top = model.events.isEmpty() || flow.getPosition() <= 0.0;
        if (top != model.atTop.get()) {
            model.atTop.set(top);
            if (top && model.followWanted.get() && !model.pending.isEmpty()) {
                jumpToLatest();
            }
        }
        IndexedCell<?> last = flow.getLastVisibleCell();
        if (last != null && last.getIndex() >= model.events.size() - PREFETCH_ROWS) {
            loadMore();
        }
    }

    private Optional<AuditEvent> current() {
        return Optional.ofNullable(model.selected.get());
    }

    // ---- filters

    private void wireFilters() {
        view.runnerField.textProperty().bindBidirectional(model.runner);
        view.sessionField.textProperty().bindBidirectional(model.session);
        view.actorField.textProperty().bindBidirectional(model.actor);
        view.searchField.textProperty().bindBidirectional(model.text);
        view.fromField.textProperty().bindBidirectional(model.customFrom);
        view.toField.textProperty().bindBidirectional(model.customTo);
        view.rangeBox.valueProperty().bindBidirectional(model.range);
        view.typeChecks.forEach((type, check) -> check.selectedProperty().addListener((o, was, on) -> {
            if (syncingChecks) {
                return;
            }
            if (on) {
                model.types.add(type);
            } else {
                model.types.remove(type);
            }
        }));
        model.types.addListener((SetChangeListener<String>) c -> {
            syncingChecks = true;
            view.typeChecks.forEach((type, check) -> check.setSelected(model.types.contains(type)));
            syncingChecks = false;
        });
        view.presetButtons.forEach((preset, button) -> button.setOnAction(e -> applyPreset(preset)));
        view.allTypesButton.setOnAction(e -> model.types.clear());
        debounce.setOnFinished(e -> reload());
        model.queryLine.addListener((o, was, now) -> {
            model.anchorSeq.set(0); // a new filter shows the newest events that match it
            debounce.playFromStart();
        });
    }

    /** Shows only the preset's event types. */
    public void applyPreset(TypePreset preset) {
        model.types.clear();
        model.types.addAll(preset.types);
    }

    // ---- export

    /** Asks for a file, then exports what the filter selects. */
    public void exportWithChooser(ExportFormat format) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export events as " + format.label);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(format.label, format.pattern));
        chooser.setInitialFileName("runnerdesk-events-" + FILE_TIME.format(java.time.LocalDateTime.now(model.clock))
                + format.pattern.substring(1));
        File file = chooser.showSaveDialog(owner.get());
        if (file != null) {
            export(file.toPath(), format);
        }
    }

    /**
     * Writes every event the shown filter selects — the whole range, paged from the service, not only what is
     * loaded — newest first, to {@code file} in the background with progress. The file appears complete or not at all.
     */
    public TaskExecutor.Cancellable export(Path file, ExportFormat format) {
        RunnerService service = connection.service();
        EventQuery shown = model.shownQuery.get() != null ? model.shownQuery.get() : model.query(EventQuery.MAX_LIMIT);
        if (service == null) {
            notifier.error("Cannot export", "Not connected.");
            return () -> { };
        }
        EventQuery base = withLimit(shown, EventQuery.MAX_LIMIT);
        model.exportStatus.set("Exporting…");
        String what = "Exporting events to " + file.getFileName();
        exporting = tasks.submitWithProgress(what, progress -> {
            Path part = file.resolveSibling(file.getFileName() + ".part");
            long written = 0;
            try (BufferedWriter out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                if (format == ExportFormat.CSV) {
                    out.write(EventFormats.CSV_HEADER);
                    out.write("\r\n");
                }
                EventQuery query = base;
                long total = -1;
                while (true) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException(what + ": cancelled");
                    }
                    EventPage page = service.events(query);
                    if (total < 0) {
                        total = page.total();
                    }
                    for (AuditEvent e : page.events()) {
                        out.write(format == ExportFormat.CSV ? EventFormats.csvRow(e) : EventFormats.jsonLine(e));
                        out.write(format == ExportFormat.CSV ? "\r\n" : "\n");
                        written++;
                    }
                    progress.update(written, Math.max(total, written));
                    if (page.events().size() < query.limit()) {
                        break;
                    }
                    query = base.before(page.events().get(page.events().size() - 1).seq());
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(part);
                throw e;
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            return written;
        }, written -> {
            exporting = null;
            String text = String.format(Locale.ROOT, "%,d %s to %s", written, written == 1 ? "event" : "events", file.getFileName());
            model.exportStatus.set("Exported " + text);
            notifier.info("Export finished", text);
        }, e -> {
            exporting = null;
            model.exportStatus.set("Export failed");
            if (!connection.report(e)) {
                notifier.error("Cannot export events", e);
            }
        });
        return exporting;
    }

    static EventQuery withLimit(EventQuery q, int limit) {
        return new EventQuery(q.runnerId(), limit, Optional.empty(), q.types(), q.sessionId(), q.actor(), q.from(), q.to(),
                q.text());
    }

    /** Loads the screenshot of the selected computer action; a newer selection drops an older load. */
    private void loadScreenshot(ComputerAction action) {
        if (loadingScreenshot != null) {
            loadingScreenshot.cancel();
        }
        RunnerService service = connection.service();
        if (service == null) {
            view.screenshotProblem(action, "Not connected.");
            return;
        }
        loadingScreenshot = Screenshots.load(tasks, service, action, image -> {
            loadingScreenshot = null;
            view.showScreenshot(action, image);
        }, e -> {
            loadingScreenshot = null;
            if (!(e instanceof CancellationException)) {
                view.screenshotProblem(action, Screenshots.problem(e));
            }
        });
    }

    /** Fetches a session's recording off the FX thread and plays it in a window of its own. */
    private void replay(dev.runnerdesk.core.AuditEvent event, int index) {
        var service = connection.service();
        if (service == null || event.runnerId().isEmpty() || event.sessionId().isEmpty()) {
            return;
        }
        String runnerId = event.runnerId().get();
        String sessionId = event.sessionId().get();
        tasks.submit("Loading recording " + index + " of " + sessionId,
                () -> dev.runnerdesk.core.Asciicast.parse(service.recording(runnerId, sessionId, index)),
                cast -> dev.runnerdesk.ui.terminal.CastPlayer.open(cast, sessionId + " #" + index, owner.get(),
                        String.valueOf(javafx.application.Application.getUserAgentStylesheet()).contains("dark")),
                e -> notifier.error("Cannot replay the recording of " + sessionId, e));
    }
}
