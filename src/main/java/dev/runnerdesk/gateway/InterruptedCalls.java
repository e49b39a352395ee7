package dev.runnerdesk.gateway;

import okhttp3.Call;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Aborts the HTTP call of a thread that is interrupted (a task the person cancelled): OkHttp's blocking read does not
 * notice an interrupt, so without this a cancelled call would read on, up to its deadline, in the background.
 */
final class InterruptedCalls {
    private static final long CHECK_MILLIS = 50;
    private static final Map<Call, Thread> WATCHED = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService CHECKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runnerdesk-gateway-interrupts");
        t.setDaemon(true);
        return t;
    });

    static {
        CHECKER.scheduleWithFixedDelay(InterruptedCalls::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private InterruptedCalls() {
    }

    /** Watches {@code call}, made on the current thread, until the returned handle is closed. */
    static Watch watch(Call call) {
        Thread owner = Thread.currentThread();
        if (owner.isInterrupted()) {
            call.cancel();
        }
        WATCHED.put(call, owner);
        return () -> WATCHED.remove(call);
    }

    /** Whether the current thread's work was cancelled, so a failure is not retried. */
    static boolean cancelled() {
        return Thread.currentThread().isInterrupted();
    }

    private static void check() {
        WATCHED.forEach((call, thread) -> {
            if (thread.isInterrupted()) {
                call.cancel();
            }
        });
    }

    /** Ends the watch of one call. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
