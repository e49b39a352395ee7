package dev.runnerdesk.ui.common;

import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Background threads for the work, {@link Platform#runLater} (here and nowhere else) for the results. */
public final class FxTaskExecutor implements TaskExecutor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FxTaskExecutor.class.getName());
    private final AtomicInteger threads = new AtomicInteger();
    private final ObservableList<RunningTask> running = FXCollections.observableArrayList();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runnerdesk-task-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @Override
    public <T> Cancellable submit(String description, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onError) {
        return submitWithProgress(description, progress -> work.call(), onSuccess, onError);
    }

    @Override
    public <T> Cancellable submitWithProgress(String description, ProgressWork<T> work, Consumer<T> onSuccess,
                                              Consumer<Throwable> onError) {
        if (pool.isShutdown()) {
            // the app is closing: late timers and listeners find nothing to run on
            return () -> { };
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<Future<?>> future = new AtomicReference<>();
        AtomicReference<RunningTask> self = new AtomicReference<>();
        // the owner's own cancel is silent; a cancel from the status bar tells the owner, so it can tidy up
        Cancellable silent = () -> {
            cancelled.set(true);
            Future<?> f = future.get();
            if (f != null) {
                f.cancel(true);
            }
            onUiThread(() -> running.remove(self.get()));
        };
        RunningTask task = new RunningTask(description, Instant.now(), () -> {
            if (!cancelled.get()) {
                silent.cancel();
                onUiThread(() -> onError.accept(new CancellationException(description + ": cancelled")));
            }
        });
        self.set(task);
        onUiThread(() -> running.add(task));
        try {
            future.set(pool.submit(() -> run(task, cancelled, work, onSuccess, onError)));
        } catch (RejectedExecutionException e) {
            onUiThread(() -> running.remove(task));
            return () -> { };
        }
        return silent;
    }

    private <T> void run(RunningTask task, AtomicBoolean cancelled, ProgressWork<T> work, Consumer<T> onSuccess,
                         Consumer<Throwable> onError) {
        try {
            T result = work.run((done, total) -> {
                double value = total <= 0 ? -1 : Math.min(1.0, (double) done / total);
                onUiThread(() -> task.setProgress(value));
            });
            onUiThread(() -> {
                running.remove(task);
                if (!cancelled.get()) {
                    onSuccess.accept(result);
                }
            });
        } catch (Throwable e) {
            if (!cancelled.get()) {
                // services keep secrets out of their messages, so the message may be logged
                LOG.log(System.Logger.Level.DEBUG, task.description() + " failed: " + e);
            }
            onUiThread(() -> {
                running.remove(task);
                if (!cancelled.get()) {
                    onError.accept(e);
                }
            });
        }
    }

    @Override
    public ObservableList<RunningTask> running() {
        return running;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
