package dev.runnerdesk.ui.connections;

import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.function.Consumer;

/**
 * A view's loads from the connection's backend, one at a time: a new load cancels the one before it; a result or
 * error that arrives after a newer load started, after {@link #cancel()}, or from a backend the connection has left
 * is dropped; {@code loading} is true while one runs. A failure about the connection goes to the connection (its
 * banner says it), any other to the caller. Used on the FX thread only.
 */
public final class ViewLoader {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final BooleanProperty loading;
    private TaskExecutor.Cancellable current;
    private int generation;

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
        TaskExecutor.Cancellable task = tasks.submit(description, () -> work.load(service), result -> {
            if (settled(gen, service)) {
                connection.reportSuccess();
                onLoaded.accept(result);
            }
        }, e -> {
            if (settled(gen, service) && !connection.report(e)) {
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
        return service == connection.service();
    }
}
