package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.ui.common.Confirm;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.stage.Window;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a person does to runners — start, stop, terminate, one or many — with one confirmation for the
 * destructive ones, the work in the background with progress, and a notification when it is done. While an action
 * waits on the backend the list says what for, with Cancel; a cancelled action may still have happened there, so the
 * list is read again and the person told so.
 */
final class RunnerActions {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final Supplier<Window> owner;
    private final Consumer<Runner> changed;
    private final ActionWait wait;
    private final Runnable reread;

    /** {@code reread} reads the list again (after a cancel, when what happened is not known). */
    RunnerActions(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, Supplier<Window> owner,
                  Consumer<Runner> changed, ActionWait wait, Runnable reread) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.owner = owner;
        this.changed = changed;
        this.wait = wait;
        this.reread = reread;
    }

    void terminate(List<Runner> selected) {
        List<Runner> live = selected.stream().filter(r -> !r.state().isFinal()).toList();
        if (live.isEmpty()) {
            notifier.info("Nothing to terminate", selected.isEmpty() ? "Select runners first."
                    : "The selected runners have already ended.");
            return;
        }
        String what = live.size() == 1 ? "1 runner" : live.size() + " runners";
        List<String> names = live.stream().map(r -> r.runnerId() + "  (" + r.state() + ", " + r.providerType() + ")").toList();
        if (!Confirm.ask(owner.get(), "Terminate runners", "Terminate " + what + "?", names,
                "Their sessions end and their sandboxes are freed for good.", "Terminate " + what)) {
            return;
        }
        bulk("Terminating " + what, live, (service, r) -> service.terminate(r.runnerId()), "Terminated " + what,
                "terminate " + (live.size() == 1 ? live.get(0).runnerId() : what),
                live.size() == 1 ? "the runner may be terminated" : "some of the runners may be terminated");
    }

    void stopSessions(List<Runner> selected) {
        List<Runner> withSession = selected.stream().filter(r -> r.activeSession().filter(Session::isActive).isPresent()).toList();
        if (withSession.isEmpty()) {
            notifier.info("No session to stop", "None of the selected runners has an active session.");
            return;
        }
        String what = withSession.size() == 1 ? "1 session" : withSession.size() + " sessions";
        List<String> names = withSession.stream()
                .map(r -> r.runnerId() + "  (" + r.activeSession().get().sessionId() + ")").toList();
        if (!Confirm.ask(owner.get(), "Stop sessions", "Stop " + what + "?", names,
                "Commands running in them are ended; the runners stay ready.", "Stop " + what)) {
            return;
        }
        bulk("Stopping " + what, withSession, (service, r) -> {
            service.stopSession(r.runnerId(), r.activeSession().get().sessionId());
            return service.get(r.runnerId());
        }, "Stopped " + what, "stop " + (withSession.size() == 1 ? "the session of " + withSession.get(0).runnerId() : what),
                withSession.size() == 1 ? "the session may have stopped" : "some of the sessions may have stopped");
    }

    void startSession(Runner runner) {
        startSession(runner, Optional.empty());
    }

    /** Starts a session, with its own TTL where {@code ttlSeconds} gives one (the service checks it against the profile). */
    void startSession(Runner runner, Optional<Integer> ttlSeconds) {
        RunnerService service = connection.service();
        if (service == null) {
            return;
        }
        String id = runner.runnerId();
        this.<Started>waited("start a session on " + id, "a session may have started on " + id, (ok, err) ->
                tasks.submit("Starting a session on " + id, () -> {
                    Session s = service.startSession(id, ttlSeconds);
                    return new Started(s, service.get(id));
                }, ok, err), started -> {
                    connection.reportSuccess();
                    changed.accept(started.runner);
                    notifier.info("Session started", started.session.sessionId() + " on " + id);
                }, e -> failed("Cannot start a session on " + id, e));
    }

    /** Creates a runner without the dialog (the empty list's one-click buttons), and hands it over when it exists. */
    void create(CreateRunnerRequest request, Consumer<Runner> created) {
        RunnerService service = connection.service();
        if (service == null) {
            notifier.info("Cannot create runners", "Not connected.");
            return;
        }
        String kind = request.providerType().wireName();
        this.<Runner>waited("create a " + kind + " runner", "the runner may have been created", (ok, err) ->
                tasks.submit("Creating a " + kind + " runner", () -> service.create(request), ok, err), runner -> {
                    connection.reportSuccess();
                    changed.accept(runner);
                    created.accept(runner);
                    notifier.info("Runner created", runner.runnerId() + " is " + runner.state().wireName());
                }, e -> failed("Cannot create a " + kind + " runner", e));
    }

    // Why an action cannot be done to a runner now: empty when it can. The state's reason comes before the role's,
    // since it is the one that changes. A null role is not known yet and allows everything (the service decides).

    static String whyNotStart(Runner r, Role role) {
        if (r.state().isFinal()) {
            return "the runner has ended (" + r.state().wireName() + ")";
        }
        if (hasSession(r)) {
            return "a session is already active";
        }
        if (r.state() != RunnerState.READY) {
            return "the runner is " + r.state().wireName();
        }
        return RoleGate.reasonFor(role, Role.Permission.OPERATE, "starting sessions");
    }

    static String whyNotStop(Runner r, Role role) {
        if (!hasSession(r)) {
            return "no active session";
        }
        return RoleGate.reasonFor(role, Role.Permission.OPERATE, "stopping sessions");
    }

    static String whyNotTerminate(Runner r, Role role) {
        if (r.state().isFinal()) {
            return "already " + r.state().wireName();
        }
        return RoleGate.reasonFor(role, Role.Permission.ADMINISTER, "terminating runners");
    }

    /** A terminal needs the active session, or a ready runner to start one on. */
    static String whyNotTerminal(Runner r, Role role) {
        if (r.state().isFinal()) {
            return "the runner has ended (" + r.state().wireName() + ")";
        }
        if (hasSession(r)) {
            return "";
        }
        if (r.state() != RunnerState.READY) {
            return "the runner is " + r.state().wireName();
        }
        return RoleGate.reasonFor(role, Role.Permission.OPERATE, "starting a session for the terminal");
    }

    static boolean hasSession(Runner r) {
        return r.activeSession().filter(Session::isActive).isPresent();
    }

    private interface Step {
        Runner apply(RunnerService service, Runner runner);
    }

    /** How an action's task is submitted, with the callbacks {@link #waited} gives it. */
    private interface Submission<T> {
        TaskExecutor.Cancellable submit(Consumer<T> onSuccess, Consumer<Throwable> onError);
    }

    /**
     * Submits an action that shows its wait ("Waiting for … to {@code waitsTo}"); a cancel, there or in the status
     * bar, says {@code mayHaveHappened} and reads the list again instead of calling {@code onFailed}.
     */
    private <T> void waited(String waitsTo, String mayHaveHappened, Submission<T> submission, Consumer<T> onDone,
                            Consumer<Throwable> onFailed) {
        ActionWait.Ticket ticket = wait.start("Waiting for " + connection.where() + " to " + waitsTo);
        TaskExecutor.Cancellable task = submission.submit(result -> {
            wait.done(ticket);
            onDone.accept(result);
        }, e -> {
            if (e instanceof CancellationException) {
                cancelled(ticket, mayHaveHappened);
            } else {
                wait.done(ticket);
                onFailed.accept(e);
            }
        });
        ticket.onCancel = () -> {
            task.cancel();
            cancelled(ticket, mayHaveHappened);
        };
    }

    private void cancelled(ActionWait.Ticket ticket, String mayHaveHappened) {
        String said = "Cancelled — " + mayHaveHappened + "; the list was read again";
        if (!wait.say(ticket, said)) {
            notifier.info("Cancelled", said); // a newer action's wait is shown: say it where it is seen
        }
        reread.run();
    }

    private void bulk(String description, List<Runner> runners, Step step, String doneText, String waitsTo,
                      String mayHaveHappened) {
        RunnerService service = connection.service();
        if (service == null) {
            return;
        }
        this.<BulkResult>waited(waitsTo, mayHaveHappened, (ok, err) -> tasks.submitWithProgress(description, progress -> {
            List<Runner> done = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            RuntimeException connectionError = null;
            int i = 0;
            for (Runner r : runners) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                try {
                    done.add(step.apply(service, r));
                } catch (RuntimeException e) {
                    failures.add(r.runnerId() + ": " + Notifier.describe(e));
                    if (connectionError == null) {
                        connectionError = e;
                    }
                }
                progress.update(++i, runners.size());
            }
            return new BulkResult(done, failures, connectionError);
        }, ok, err), result -> {
            result.done.forEach(changed);
            if (result.failures.isEmpty()) {
                connection.reportSuccess();
                notifier.info(doneText, String.join(", ", result.done.stream().map(Runner::runnerId).toList()));
            } else {
                if (result.firstError != null) {
                    connection.report(result.firstError);
                }
                notifier.error(description + ": " + result.done.size() + " of " + runners.size() + " done",
                        String.join("\n", result.failures));
            }
        }, e -> failed(description, e));
    }

    private void failed(String what, Throwable e) {
        if (!connection.report(e)) {
            notifier.error(what, e);
        }
    }

    private record Started(Session session, Runner runner) {
    }

    private record BulkResult(List<Runner> done, List<String> failures, RuntimeException firstError) {
    }
}
