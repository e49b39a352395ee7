package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import org.kordamp.ikonli.feather.Feather;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What may be done from the runner list and why not: each runner's row actions (menu, hover buttons, palette), creating
 * (the header, the empty list's one-click buttons), and the heading's count. One place, so every way in obeys the same
 * rules.
 */
final class RunnerListCommands {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final RunnerListModel model;
    private final RunnerListView view;
    private final RunnerActions actions;
    private final Consumer<String> select;
    private final Consumer<String> copyId;
    /** The backend whose providers the empty state shows. */
    private RunnerService providersOf;
    Consumer<String> openTimeline = id -> { };
    /** What "Open terminal" does once its runner is selected: by default, start a session when it has none. */
    Consumer<Runner> openTerminal = this::startSessionIfNone;

    RunnerListCommands(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, RunnerListModel model,
                       RunnerListView view, RunnerActions actions, Consumer<String> select, Consumer<String> copyId) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.model = model;
        this.view = view;
        this.actions = actions;
        this.select = select;
        this.copyId = copyId;
    }

    /** The heading's count: how many runners, and how many of them the filter shows. */
    static String statusText(RunnerListModel model) {
        if (!model.loaded.get()) {
            return "";
        }
        long total = model.total.get();
        String all = total == 1 ? "1 runner" : total + " runners";
        if (model.filtered.size() < model.rows.size()) {
            return model.filtered.size() + " of " + all;
        }
        return model.rows.size() < total ? "showing " + model.rows.size() + " of " + all : all;
    }

    /** Empty when a runner may be created now; otherwise why not (not connected, role, account). */
    String whyNotCreate() {
        if (!model.actionsAllowed.get()) {
            return "managed runners are not enabled for this account";
        }
        if (connection.service() == null || !model.connected.get()) {
            return model.offlineReason.get().isEmpty() ? "not connected" : model.offlineReason.get();
        }
        if (!model.mayAdminister.get()) {
            return model.role.get() == null ? "your role or account does not allow creating runners here"
                    : RoleGate.reasonFor(model.role.get(), Role.Permission.ADMINISTER, "creating runners");
        }
        return "";
    }

    /** Creates a runner of {@code provider} at once (the empty list's buttons) and selects it. */
    void createNow(ProviderType provider) {
        if (!mayCreate()) {
            return;
        }
        actions.create(new CreateRunnerRequest(provider, ToolProfile.LOCKED, CreateRunnerRequest.DEFAULT_TTL_SECONDS),
                r -> select.accept(r.runnerId()));
    }

    /** What the empty list says of the providers (is a local sandbox possible here, and if not, why); loaded once per backend. */
    void loadProvidersForEmptyState() {
        RunnerService service = connection.service();
        if (!model.loaded.get() || !model.rows.isEmpty() || service == null || providersOf == service) {
            return;
        }
        providersOf = service;
        tasks.submit("Checking which providers work here", service::providers, view.emptyState::showProviders,
                e -> view.emptyState.showProviders(List.of()));
    }

    /** What may be done to {@code runner} now, as its context menu, hover buttons and the command palette offer it. */
    List<RunnerRowAction> rowActions(Runner runner) {
        Role role = model.role.get();
        boolean on = model.actionsAllowed.get() && model.connected.get();
        String offline = model.actionsAllowed.get() ? "not connected" : "managed runners are not enabled here";
        List<Runner> one = List.of(runner);
        return List.of(
                new RunnerRowAction("terminal", "Open terminal", Feather.TERMINAL, Optional.of(RunnerListRowMenu.TERMINAL),
                        on ? RunnerActions.whyNotTerminal(runner, role) : offline, false, () -> openTerminalOf(runner)),
                new RunnerRowAction("start", "Start session", Feather.PLAY, Optional.of(RunnerListRowMenu.START),
                        on ? RunnerActions.whyNotStart(runner, role) : offline, false, () -> actions.startSession(runner)),
                new RunnerRowAction("stop", "Stop session", Feather.STOP_CIRCLE, Optional.of(RunnerListRowMenu.STOP),
                        on ? RunnerActions.whyNotStop(runner, role) : offline, false, () -> actions.stopSessions(one)),
                new RunnerRowAction("copy-id", "Copy id", Feather.COPY, Optional.of(RunnerListRowMenu.COPY), "", false,
                        () -> copyId.accept(runner.runnerId())),
                new RunnerRowAction("timeline", "Open timeline", Feather.LIST, Optional.of(RunnerListRowMenu.TIMELINE), "", false,
                        () -> openTimeline.accept(runner.runnerId())),
                new RunnerRowAction("terminate", "Terminate…", Feather.TRASH_2, Optional.of(RunnerListRowMenu.TERMINATE),
                        on ? RunnerActions.whyNotTerminate(runner, role) : offline, true, () -> actions.terminate(one)));
    }

    /** The default of "Open terminal": a runner without a session gets one, whose terminal the detail pane shows. */
    private void startSessionIfNone(Runner r) {
        if (!RunnerActions.hasSession(r) && RunnerActions.whyNotStart(r, model.role.get()).isEmpty()) {
            actions.startSession(r);
        }
    }

    /** True when a runner may be created now; otherwise says why not and is false. */
    boolean mayCreate() {
        String whyNot = whyNotCreate();
        if (!whyNot.isEmpty()) {
            notifier.info("Cannot create runners", Character.toUpperCase(whyNot.charAt(0)) + whyNot.substring(1) + ".");
        }
        return whyNot.isEmpty();
    }

    private void openTerminalOf(Runner runner) {
        select.accept(runner.runnerId());
        openTerminal.accept(runner);
    }
}
