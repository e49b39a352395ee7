package dev.runnerdesk.ui.common;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Progress a worker reports as often as it likes, handed to the UI thread coalesced: at most one hop queued at a
 * time, not more than ten a second, and the newest value is the one shown. A verification of a million events
 * reports thousands of times; the FX thread sees a handful.
 */
public final class CoalescedProgress implements TaskExecutor.Progress {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;
    private final TaskExecutor tasks;
    private final TaskExecutor.Progress onUiThread;
    private final AtomicReference<long[]> latest = new AtomicReference<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile long lastHop = System.nanoTime() - MIN_INTERVAL_NANOS;

    /** {@code onUiThread} gets {@code (done, total)} on the UI thread. */
    public CoalescedProgress(TaskExecutor tasks, TaskExecutor.Progress onUiThread) {
        this.tasks = tasks;
        this.onUiThread = onUiThread;
    }

    /** Called from any thread. */
    @Override
    public void update(long done, long total) {
        latest.set(new long[] {done, total});
        long now = System.nanoTime();
        // the end always goes through, so the bar never stops short of it
        boolean end = total > 0 && done >= total;
        if ((end || now - lastHop >= MIN_INTERVAL_NANOS) && queued.compareAndSet(false, true)) {
            lastHop = now;
            tasks.onUiThread(() -> {
                queued.set(false);
                long[] v = latest.get();
                onUiThread.update(v[0], v[1]);
            });
        }
    }
}
