package dev.runnerdesk.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns an interrupt of a thread into an abort of the blocking call it is making. A task the person cancels is
 * interrupted, but a blocking network read (OkHttp's) does not notice, so it would read on in the background until
 * the other side answers; while a handle is open, a checker notices the interrupt and runs the abort (cancel the
 * call), which ends the read.
 */
public final class InterruptWatch {
    private static final long CHECK_MILLIS = 50;
    private static final Set<Handle> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService CHECKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runnerdesk-interrupt-watch");
        t.setDaemon(true);
        return t;
    });

    static {
        CHECKER.scheduleWithFixedDelay(InterruptWatch::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private InterruptWatch() {
    }

    /**
     * Watches the current thread until the returned handle is closed: when it is interrupted, {@code abort} runs once,
     * on the checker's thread (at once, on this thread, when it already is).
     */
    public static Handle watch(Runnable abort) {
        Handle handle = new Handle(Thread.currentThread(), abort);
        if (handle.owner.isInterrupted()) {
            handle.abort();
        } else {
            WATCHED.add(handle);
        }
        return handle;
    }

    private static void check() {
        for (Handle handle : WATCHED) {
            if (handle.owner.isInterrupted()) {
                handle.abort();
            }
        }
    }

    /** One watch; closing it ends the watch, and once it is closed the abort does not start any more. */
    public static final class Handle implements AutoCloseable {
        private static final int WATCHING = 0;
        private static final int ABORTED = 1;
        private static final int CLOSED = 2;
        private final Thread owner;
        private final Runnable abort;
        private final AtomicInteger state = new AtomicInteger(WATCHING);

        private Handle(Thread owner, Runnable abort) {
            this.owner = owner;
            this.abort = abort;
        }

        /** Whether the abort ran (or is running): the call was cut off because its thread was interrupted. */
        public boolean aborted() {
            return state.get() == ABORTED;
        }

        private void abort() {
            WATCHED.remove(this);
            if (state.compareAndSet(WATCHING, ABORTED)) {
                try {
                    abort.run();
                } catch (RuntimeException e) {
                    // an abort that fails leaves the call to end on its own; the checker carries on for the others
                }
            }
        }

        @Override
        public void close() {
            WATCHED.remove(this);
            state.compareAndSet(WATCHING, CLOSED);
        }
    }
}
