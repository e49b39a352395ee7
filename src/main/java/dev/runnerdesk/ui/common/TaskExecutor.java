package dev.runnerdesk.ui.common;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The one way the UI runs slow work (service calls, disk): off the FX thread, with the result or the
 * error handed back on the FX thread. Tests use a synchronous implementation.
 */
public interface TaskExecutor {
    <T> Cancellable submit(String description, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onError);

    /** Runs {@code action} on the UI thread. */
    void onUiThread(Runnable action);

    /** A submitted task; cancelling it drops its result and interrupts the work where it can be. */
    interface Cancellable {
        void cancel();
    }
}
