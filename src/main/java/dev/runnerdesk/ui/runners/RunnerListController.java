package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TableLayout;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.common.ViewController;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.LiveEvents;
import dev.runnerdesk.ui.connections.ViewLoader;
import dev.runnerdesk.ui.terminal.TerminalSessions;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.Window;
import javafx.util.Duration;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The runner list: loads off the FX thread, follows live events (row by row, in place), ticks the TTL
 * countdown on the injected clock, keeps the last data (marked stale) while the connection is down, and
 * remembers the table's columns and sort.
 */
public final class RunnerListController extends ViewController {
    private static final System.Logger LOG = System.getLogger(RunnerListController.class.getName());
    private static final Duration POLL = Duration.seconds(15);

    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final LiveEvents live;
    private final Notifier notifier;
    private final UiPreferences prefs;
    private final Supplier<Window> owner;
    private final RunnerListModel model;
    private final RunnerUpdates updates;
    private final RunnerListView view;
    private final RunnerActions actions;
    private final RunnerDetailController detail;
    /** The optional CPU and memory columns' sampling of the rows on screen. */
    private final RunnerListMetrics listMetrics;
    private final TerminalSessions terminals;
    private final Timeline ticker;
    private final Timeline poller;
    private final PauseTransition flashTimer = new PauseTransition(Duration.seconds(3));
    private final ChangeListener<RunnerService> onService = (o, was, now) -> switchedBackend();
    private final InvalidationListener onGeneration = o -> resumeAll();
    private final ChangeListener<ActiveConnection.Health> onHealth = (o, was, now) -> applyHealth();
    private final ChangeListener<WhoAmI> onWhoami = (o, was, now) -> applyRole(now);
    private final ViewLoader loader;
    /** Counts down to the next try after a rate limit, one second a tick. */
    private final RunnerListLoadProblems problems;
    /** A runner to select once the list has loaded (see {@link #select}). */
    private String awaitedSelection;
    private final RunnerListCommands commands;
    private RunnerService loadedFrom;
    private boolean layoutRestored;
    private Runnable onConnectGateway = () -> { };

    public RunnerListController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, UiPreferences prefs,
                                Clock clock, Supplier<Window> owner, TerminalSessions terminals) {
        this.terminals = terminals;
        this.connection = connection;
        this.live = new LiveEvents(connection, tasks);
        this.tasks = tasks;
        this.notifier = notifier;
        this.prefs = prefs;
        this.owner = owner;
        this.model = new RunnerListModel(clock);
        this.updates = new RunnerUpdates(connection, tasks, notifier, model);
        this.view = new RunnerListView(model);
        this.loader = new ViewLoader(connection, tasks, model.updating).showingWaitIn(view.wait, "list runners",
                "Cancelled — the runner list was not refreshed", this::loadCancelled);
        this.problems = new RunnerListLoadProblems(model, view.wait, notifier, this::loadList);
        this.actions = new RunnerActions(connection, tasks, notifier, owner, this::changed,
                new ActionWait(view.actionWait), this::loadList);
        this.detail = new RunnerDetailController(connection, tasks, notifier, actions, this::copyId, model, terminals, owner,
                updates::named);
        view.detailHolder.getChildren().add(detail.view());
        this.listMetrics = new RunnerListMetrics(connection, tasks, view.table, List.of(view.cpuColumn, view.memoryColumn));
        RunnerDetailLayout.remember(view, prefs);
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> model.tick()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        poller = new Timeline(new KeyFrame(POLL, e -> { // a slow load is left to finish; F5 replaces it
            if (!loader.isLoading()) {
                loadList();
            }
        }));
        poller.setCycleCount(Timeline.INDEFINITE);
        flashTimer.setOnFinished(e -> model.flash.set(""));

        view.refreshButton.setOnAction(e -> reload());
        view.createButton.setOnAction(e -> newRunner());
        view.clearFilterButton.setOnAction(e -> clearFilter());
        view.terminateButton.setOnAction(e -> terminateSelected());
        view.stopButton.setOnAction(e -> stopSelected());
        this.commands = new RunnerListCommands(connection, tasks, notifier, model, view, actions, this::selectOnly, this::copyId);
        // Enter, a double click, the row menu and the palette: the session's shell in the drawer, a session started first
        commands.openTerminal = runner -> detail.openOrStartShell();
        view.rowActions = this::rowActions;
        view.onExplain = this::flash;
        view.emptyState.onCreateFake = () -> commands.createNow(ProviderType.FAKE);
        view.emptyState.onCreateLocal = () -> commands.createNow(ProviderType.LOCAL);
        view.emptyState.onConnectGateway = () -> onConnectGateway.run();
        view.table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<RunnerRow>) c -> showSelection());
        model.rows.addListener((ListChangeListener<RunnerRow>) c -> showSelection());
        var selected = view.table.getSelectionModel().getSelectedItems();
        // enabled when one selected runner can take it: a terminated runner cannot be terminated again
        view.terminateButton.disableProperty().bind(Bindings.createBooleanBinding(() -> selected.stream()
                .noneMatch(r -> !r.runner().state().isFinal()), selected, model.rows).or(model.mayAdminister.not()));
        view.stopButton.disableProperty().bind(Bindings.createBooleanBinding(() -> selected.stream()
                .noneMatch(r -> RunnerActions.hasSession(r.runner())), selected, model.rows).or(model.mayOperate.not()));
        view.createButton.disableProperty().bind(model.mayAdminister.not().or(model.connected.not()));
        model.loaded.addListener((o, was, now) -> commands.loadProvidersForEmptyState());
        model.rows.addListener((ListChangeListener<RunnerRow>) c -> commands.loadProvidersForEmptyState());
        view.status.textProperty().bind(Bindings.createStringBinding(() -> RunnerListCommands.statusText(model), model.total, model.rows,
                model.filtered, model.loaded));
        activateWhenShown(view.root);
    }

    @Override
    public Node view() {
        return view.root;
    }

    public RunnerListModel model() {
        return model;
    }

    /** The view's parts (for tests of this package). */
    RunnerListView listView() {
        return view;
    }

    /** Shown: follow the connection, load, subscribe, tick. */
    @Override
    protected void onActivate() {
        if (!layoutRestored) {
            layoutRestored = true;
            TableLayout.remember(view.table, prefs, UiPreferences.RUNNER_COLUMNS, UiPreferences.RUNNER_SORT);
        }
        connection.serviceProperty().addListener(onService);
        connection.generationProperty().addListener(onGeneration);
        connection.healthProperty().addListener(onHealth);
        connection.whoamiProperty().addListener(onWhoami);
        applyHealth();
        applyRole(connection.whoamiProperty().get());
        ticker.play();
        model.tick();
        detail.setActive(true);
        listMetrics.setActive(true);
        if (connection.service() != loadedFrom) {
            switchedBackend();
        } else {
            resume();
        }
    }

    /** Hidden: stop following; the rows stay for when it is shown again. */
    @Override
    protected void onDeactivate() {
        connection.serviceProperty().removeListener(onService);
        connection.generationProperty().removeListener(onGeneration);
        connection.healthProperty().removeListener(onHealth);
        connection.whoamiProperty().removeListener(onWhoami);
        ticker.stop();
        poller.stop();
        problems.clear();
        closeSubscription();
        detail.setActive(false);
        listMetrics.setActive(false);
        loader.cancel();
    }

    /** F5 and Refresh: the list, and the shown runner's events if the person cancelled their load. */
    @Override
    public void reload() {
        loadList();
        detail.reloadCancelledEvents();
    }

    /** Reads the list's first page (the poller's and a rate limit's retry read only this). */
    private void loadList() {
        if (!isActive()) {
            return;
        }
        problems.clear();
        loader.load("Loading runners from " + connection.profile().name(), service -> service.list(RunnerQuery.firstPage()),
                (RunnerPage page) -> {
                    problems.loaded();
                    model.replaceAll(page.runners(), page.total());
                    model.tick();
                    if (awaitedSelection != null) {
                        selectOnly(awaitedSelection); // not listed even now: it is gone, or beyond the first page
                        awaitedSelection = null;
                    }
                }, problems::failed);
    }

    /** The person cancelled the load: the rows shown stay, nothing retries by itself, no selection is awaited. */
    private void loadCancelled() {
        awaitedSelection = null;
        problems.cancelled();
    }

    /** Opens the create dialog (Ctrl/⌘+N). */
    public void newRunner() {
        if (!commands.mayCreate()) {
            return;
        }
        new CreateRunnerController(connection, tasks, notifier, owner.get(), r -> {
            changed(r);
            selectOnly(r.runnerId());
        }, this::reload).open();
    }

    /** Empty when a runner may be created now; otherwise why not (not connected, role, account). */
    public String whyNotCreate() {
        return commands.whyNotCreate();
    }

    /** What may be done to {@code runner} now, as its context menu, hover buttons and the command palette offer it. */
    public List<RunnerRowAction> rowActions(Runner runner) {
        return commands.rowActions(runner);
    }

    /**
     * Opens the terminal of {@code runner} (its context menu, Enter or a double click on its row, the palette): selects
     * it, then does what {@link #setOnOpenTerminal} says — by default, starts a session when it has none, whose
     * terminal the detail pane then shows.
     */
    public void openTerminal(Runner runner) {
        select(runner.runnerId());
        commands.openTerminal.accept(runner);
    }

    /** What "Open terminal" does once the runner is selected (the terminal area sets it). */
    public void setOnOpenTerminal(Consumer<Runner> handler) {
        commands.openTerminal = handler;
    }

    /** Where the empty list's "Connect a gateway" goes (Settings → connections). */
    public void setOnConnectGateway(Runnable handler) {
        onConnectGateway = handler;
    }

    /** The runner selected in the list, when exactly one is. */
    public Optional<Runner> selectedRunner() {
        List<RunnerRow> selected = view.table.getSelectionModel().getSelectedItems();
        return selected.size() == 1 ? Optional.of(selected.get(0).runner()) : Optional.empty();
    }

    public void focusFilter() {
        view.filter.requestFocus();
        view.filter.selectAll();
    }

    public void terminateSelected() {
        if (model.actionsAllowed.get()) {
            actions.terminate(selectedRunners());
        }
    }

    public void stopSelected() {
        if (model.actionsAllowed.get()) {
            actions.stopSessions(selectedRunners());
        }
    }

    List<Runner> selectedRunners() {
        return new ArrayList<>(view.table.getSelectionModel().getSelectedItems()).stream().map(RunnerRow::runner).toList();
    }

    /** Where the detail's and the row menu's "Open timeline" go. */
    public void setOnOpenTimeline(Consumer<String> handler) {
        commands.openTimeline = handler;
        detail.setOnOpenTimeline(handler);
    }

    /** Opens the runner's session terminal in the Sessions drawer, keys in it (row actions, the palette). */
    public void openShell(String runnerId) {
        selectOnly(runnerId);
        detail.openShell();
    }

    /** Puts the keys in the runner table (Ctrl+` from a terminal). */
    public void focusList() {
        view.table.requestFocus();
    }

    /**
     * Selects one runner (and shows its detail). One the list does not hold yet (made since it was loaded, as a
     * timeline link's can be) is selected when the load this starts brings it.
     */
    public void select(String runnerId) {
        if (!selectOnly(runnerId)) {
            awaitedSelection = runnerId;
            loadList();
        }
    }

    private boolean selectOnly(String runnerId) {
        for (int i = 0; i < view.table.getItems().size(); i++) {
            if (view.table.getItems().get(i).id().equals(runnerId)) {
                view.table.getSelectionModel().clearAndSelect(i);
                view.table.scrollTo(i);
                return true;
            }
        }
        return false;
    }

    private void clearFilter() {
        model.filterText.set("");
        model.stateFilter.clear();
    }

    private void copyId(String runnerId) {
        ClipboardContent content = new ClipboardContent();
        content.putString(runnerId);
        Clipboard.getSystemClipboard().setContent(content);
        flash("Copied " + runnerId);
    }

    /** A short note in the header that goes by itself. */
    private void flash(String text) {
        model.flash.set(text);
        flashTimer.playFromStart();
    }

    /** A runner the UI changed itself: show it at once, the event confirms it later. */
    private void changed(Runner r) {
        model.upsert(r);
    }

    private void showSelection() {
        List<RunnerRow> selected = view.table.getSelectionModel().getSelectedItems();
        view.showDetail(!selected.isEmpty());
        detail.show(selected.size() == 1 ? selected.get(0).runner() : null, selected.size());
    }

    private void switchedBackend() {
        terminals.closeAll();
        closeSubscription();
        poller.stop();
        model.clear();
        detail.show(null, 0);
        loadedFrom = connection.service();
        if (loadedFrom != null && isActive()) {
            resume();
        }
    }

    /** The connection is usable again: the list and the selected runner's detail follow afresh. */
    private void resumeAll() {
        resume();
        detail.refollow();
    }

    /** (Re)loads and (re)subscribes, after a switch or once the connection is back. */
    private void resume() {
        if (!isActive() || connection.service() == null) {
            return;
        }
        loadList();
        subscribe();
    }

    private void subscribe() {
        live.start(this::onEvent, note -> poller.stop(), e -> {
            // no live events from this backend: poll instead
            LOG.log(System.Logger.Level.INFO, "live events unavailable, polling: " + Notifier.describe(e));
            poller.play();
        });
    }

    private void closeSubscription() {
        live.stop();
    }

    private void onEvent(AuditEvent event) {
        terminals.onEvent(event);
        detail.onEvent(event);
        event.runnerId().ifPresent(updates::named);
    }

    private void applyHealth() {
        ActiveConnection.Health h = connection.health();
        model.stale.set(h == ActiveConnection.Health.OFFLINE || h == ActiveConnection.Health.FAILED
                || h == ActiveConnection.Health.UNAUTHORIZED);
        model.actionsAllowed.set(h != ActiveConnection.Health.BETA_DISABLED);
        model.offlineReason.set(switch (h) {
            case ONLINE, BETA_DISABLED -> "";
            case CONNECTING -> "connecting to " + connection.profile().name();
            case UNAUTHORIZED -> "the gateway refused the API key";
            case OFFLINE, FAILED -> "not connected to " + connection.profile().name();
        });
        model.connected.set(h == ActiveConnection.Health.ONLINE);
    }

    private void applyRole(WhoAmI who) {
        Role role = who == null ? Role.ADMIN : who.role();
        model.role.set(who == null ? null : who.role());
        model.mayAdminister.set(role.may(Role.Permission.ADMINISTER));
        model.mayOperate.set(role.may(Role.Permission.OPERATE));
    }
}
