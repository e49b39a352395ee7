package dev.runnerdesk.provider.computeruse;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Ends a running task from another thread (its sandbox was destroyed): the loop stops, a request in flight is aborted. */
final class Cancellation {
    private volatile boolean cancelled;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Runnable> abort = new AtomicReference<>();

    void cancel() {
        cancelled = true;
        done.countDown();
        Runnable running = abort.getAndSet(null);
        if (running != null) {
            running.run();
        }
    }

    /** Waits {@code time}, or less when cancelled meanwhile. */
    void pause(Duration time) {
        try {
            done.await(time.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        }
    }

    /** Undoes an {@link #aborting} registration. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    boolean cancelled() {
        return cancelled;
    }

    /** While the returned handle is open, {@link #cancel()} also runs {@code onCancel} (at once if already cancelled). */
    Registration aborting(Runnable onCancel) {
        abort.set(onCancel);
        if (cancelled) {
            cancel();
        }
        return () -> abort.compareAndSet(onCancel, null);
    }
}
