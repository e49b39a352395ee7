package dev.runnerdesk.ui.common;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Background threads for the work, {@link Platform#runLater} (here and nowhere else) for the results. */
public final class FxTaskExecutor implements TaskExecutor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FxTaskExecutor.class.getName());
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runnerdesk-task-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @Override
    public <T> Cancellable submit(String description, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onError) {
        AtomicBoolean cancelled = new AtomicBoolean();
        Future<?> future = pool.submit(() -> {
            try {
                T result = work.call();
                if (!cancelled.get()) {
                    onUiThread(() -> onSuccess.accept(result));
                }
            } catch (Throwable e) {
                if (!cancelled.get()) {
                    LOG.log(System.Logger.Level.DEBUG, description + " failed", e);
                    onUiThread(() -> onError.accept(e));
                }
            }
        });
        return () -> {
            cancelled.set(true);
            future.cancel(true);
        };
    }

    @Override
    public void onUiThread(Runnable action) {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
