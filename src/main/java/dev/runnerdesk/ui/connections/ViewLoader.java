package dev.runnerdesk.ui.connections;

import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * A view's loads from the connection's backend, one at a time: a new load cancels the one before it; a result or
 * error that arrives after a newer load started, after {@link #cancel()}, or from a backend the connection has left
 * is dropped; {@code loading} is true while one runs. A failure about the connection goes to the connection (its
 * banner says it), any other to the caller. Used on the FX thread only.
 * <p>
 * Never two loads of a view at once: a new load <em>replaces</em> the one that runs (it is cancelled, and its HTTP
 * request aborted, before the new one starts), so a refresh (F5) or a return to the view while a load runs restarts it
 * rather than adding a second. With a {@link WaitIndicator} ({@link #showingWaitIn}) the person sees what the load
 * waits for and can cancel it; a cancel there or in the status bar leaves the view as it was and says so.
 */
public final class ViewLoader {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final BooleanProperty loading;
    private TaskExecutor.Cancellable current;
    private int generation;
    private WaitIndicator wait;
    private String waitsTo;
    private String cancelledMessage;
    /** What the load that runs (or ran last) leaves undone when cancelled: its own wording, whatever was said since. */
    private String undone;
    private Runnable onCancelled = () -> { };

    /** {@code loading} is the view's own "loading…" flag, which this sets and clears. */
    public ViewLoader(ActiveConnection connection, TaskExecutor tasks, BooleanProperty loading) {
        this.connection = connection;
        this.tasks = tasks;
        this.loading = loading;
    }

    /** For a view that shows no loading mark. */
    public ViewLoader(ActiveConnection connection, TaskExecutor tasks) {
        this(connection, tasks, new SimpleBooleanProperty());
    }

    /**
     * Shows each load in {@code wait} ("Waiting for gateway.example.com to {@code waitsTo}… 3 s", with Cancel); a cancel
     * by the person there or in the status bar shows {@code cancelledMessage} and runs {@code onCancelled} instead of
     * the load's failure handler.
     */
    public ViewLoader showingWaitIn(WaitIndicator wait, String waitsTo, String cancelledMessage, Runnable onCancelled) {
        this.wait = wait;
        this.waitsTo = waitsTo;
        this.cancelledMessage = cancelledMessage;
        this.onCancelled = onCancelled;
        return this;
    }

    /**
     * The wording of the loads started from now on, for a view whose loads wait for different things (the newest
     * events, or older ones): what the wait says it waits for and, after a cancel, what was left undone. Only with
     * {@link #showingWaitIn}; the load that runs keeps what it said.
     */
    public ViewLoader saying(String waitsTo, String cancelledMessage) {
        this.waitsTo = waitsTo;
        this.cancelledMessage = cancelledMessage;
        return this;
    }

    /** The work of a load, off the FX thread, against the backend the load started with. */
    @FunctionalInterface
    public interface Work<T> {
        T load(RunnerService service) throws Exception;
    }

    /**
     * Cancels the load that runs and starts {@code work} against the connection's backend; {@code onLoaded} gets the
     * result, {@code onFailed} a failure that is not the connection's. False (and nothing started) when there is no
     * backend.
     */
    public <T> boolean load(String description, Work<T> work, Consumer<T> onLoaded, Consumer<Throwable> onFailed) {
        stop();
        RunnerService service = connection.service();
        if (service == null) {
            loading.set(false);
            return false;
        }
        int gen = ++generation;
        loading.set(true);
        if (wait != null) {
            undone = cancelledMessage;
            wait.start("Waiting for " + connection.where() + " to " + waitsTo, this::cancelByPerson);
        }
        TaskExecutor.Cancellable task = tasks.submit(description, () -> work.load(service), result -> {
            if (settled(gen, service)) {
                connection.reportSuccess();
                onLoaded.accept(result);
            }
        }, e -> {
            if (wait != null && e instanceof CancellationException && gen == generation) {
                settled(gen, service);
                saidCancelled(); // cancelled in the status bar
            } else if (settled(gen, service) && !connection.report(e)) {
                onFailed.accept(e);
            }
        });
        if (gen == generation && loading.get()) {
            current = task; // still running (an immediate executor has called back already)
        }
        return true;
    }

    /** Stops the load that runs, if any; what it would have brought is dropped. */
    public void cancel() {
        stop();
        loading.set(false);
        if (wait != null) {
            wait.done();
        }
    }

    /** The person cancelled the load that runs (its wait's Cancel): stopped, and said so. */
    public void cancelByPerson() {
        if (!loading.get()) {
            return;
        }
        stop();
        loading.set(false);
        saidCancelled();
    }

    private void saidCancelled() {
        if (wait != null) {
            wait.say(undone);
        }
        onCancelled.run();
    }

    private void stop() {
        generation++;
        if (current != null) {
            current.cancel();
            current = null;
        }
    }

    public boolean isLoading() {
        return loading.get();
    }

    /** The load {@code gen} ended: true when it is still the current one and its backend still the connection's. */
    private boolean settled(int gen, RunnerService service) {
        if (gen != generation) {
            return false;
        }
        current = null;
        loading.set(false);
        if (wait != null) {
            wait.done();
        }
        return service == connection.service();
    }
}
