package dev.runnerdesk.ui.common;

import javafx.application.Platform;
import javafx.collections.ObservableList;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The one way the UI runs slow work (service calls, disk): off the FX thread, with the result or the error handed
 * back on the FX thread ({@link FxTaskExecutor}). Controller and model tests use an immediate implementation
 * ({@code ImmediateTaskExecutor} in the test sources) that runs the work on the calling thread and calls back before
 * {@code submit} returns; so no owner takes "I hold a handle" to mean "the work still runs" — it keeps a flag or a
 * generation of its own ({@link dev.runnerdesk.ui.connections.ViewLoader} does it for loads).
 */
public interface TaskExecutor {
    <T> Cancellable submit(String description, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onError);

    /** As {@link #submit}, for work that says how far it got (bulk actions). */
    <T> Cancellable submitWithProgress(String description, ProgressWork<T> work, Consumer<T> onSuccess,
                                       Consumer<Throwable> onError);

    /** Closes {@code resource} off the UI thread (closing a stream may wait on the network); failures are dropped. */
    default void closeInBackground(String description, AutoCloseable resource) {
        submit(description, () -> {
            resource.close();
            return null;
        }, ok -> { }, e -> { });
    }

    /** Runs {@code action} on the UI thread: now when called there, else next in its queue. */
    default void onUiThread(Runnable action) {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    }

    /** The tasks running now, oldest first; changed on the UI thread only. */
    ObservableList<RunningTask> running();

    /**
     * A submitted task; cancelling it drops its result and interrupts the work where it can be. A task
     * cancelled by the person (status bar) ends with a {@link java.util.concurrent.CancellationException}
     * to its error handler instead, so its owner can tidy up.
     */
    interface Cancellable {
        void cancel();
    }

    /** Work that reports progress; called off the UI thread. */
    @FunctionalInterface
    interface ProgressWork<T> {
        T run(Progress progress) throws Exception;
    }

    /** Where work reports progress; may be called from any thread. */
    @FunctionalInterface
    interface Progress {
        void update(long done, long total);
    }
}
