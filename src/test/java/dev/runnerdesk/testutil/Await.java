package dev.runnerdesk.testutil;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Waiting for something to become true, with a deadline: the one way tests wait for asynchronous work (a
 * background signer, a live event, a process ending). Polls with a short pause between checks — never a
 * fixed sleep that assumes how long the work takes — and fails with {@code what} when the deadline passes.
 */
public final class Await {
    private static final long PAUSE_MILLIS = 10;

    /** How a wait ended: the condition held, or the deadline passed (with the last check's failure, if it threw). */
    private record Outcome(boolean held, Exception lastFailure) {
    }

    private Await() {
    }

    /** Waits until {@code condition} holds, at most {@code timeout}; fails saying what it waited for. */
    public static void until(Callable<Boolean> condition, Duration timeout, Supplier<String> what) {
        Outcome outcome = poll(condition, timeout, what);
        if (!outcome.held()) {
            AssertionError failure = new AssertionError("waited " + timeout.toMillis() + " ms for " + what.get());
            if (outcome.lastFailure() != null) {
                failure.initCause(outcome.lastFailure());
            }
            throw failure;
        }
    }

    /**
     * Whether {@code condition} comes to hold within {@code timeout}, for a test that goes one way or the other on it
     * (something that may rightly never happen); a test that needs it to happen uses {@link #until}.
     */
    public static boolean within(Callable<Boolean> condition, Duration timeout, String what) {
        return poll(condition, timeout, () -> what).held();
    }

    private static Outcome poll(Callable<Boolean> condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return new Outcome(true, null);
                }
                last = null;
            } catch (Exception e) {
                last = e; // e.g. a lookup of a node not shown yet: try again until the deadline
            }
            if (System.nanoTime() - deadline > 0) {
                return new Outcome(false, last);
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what.get(), e);
            }
        }
    }

    public static void until(Callable<Boolean> condition, Duration timeout, String what) {
        until(condition, timeout, () -> what);
    }
}
