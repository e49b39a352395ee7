package dev.runnerdesk.ui;

import javafx.application.Platform;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How responsive the FX thread is: posts a {@code runLater} every 10 ms and keeps the longest time one took to run.
 * A window's worst latency on this machine is compared with a window without the fault (the floor), so a busy CI
 * host does not fail a test that the app passes.
 */
public final class FxLatencyProbe implements AutoCloseable {
    private final ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fx-latency-probe");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong worstNanos = new AtomicLong();
    private final AtomicLong pendingSince = new AtomicLong();
    private final long startedAt = System.nanoTime();

    public FxLatencyProbe() {
        poster.scheduleAtFixedRate(this::post, 0, 10, TimeUnit.MILLISECONDS);
    }

    private void post() {
        long posted = System.nanoTime();
        if (!pendingSince.compareAndSet(0, posted)) {
            // the last one has not run yet: it counts for as long as it waits
            worstNanos.accumulateAndGet(posted - pendingSince.get(), Math::max);
            return;
        }
        Platform.runLater(() -> {
            worstNanos.accumulateAndGet(System.nanoTime() - posted, Math::max);
            pendingSince.set(0);
        });
    }

    /** The longest a posted action waited, in ms, since the probe started; the probe stops. */
    @Override
    public void close() {
        poster.shutdownNow();
    }

    /** When the probe started (nanoTime). */
    public long startedAt() {
        return startedAt;
    }

    public long worstMillis() {
        long pending = pendingSince.get();
        long worst = worstNanos.get();
        if (pending != 0) {
            worst = Math.max(worst, System.nanoTime() - pending);
        }
        return worst / 1_000_000;
    }
}
