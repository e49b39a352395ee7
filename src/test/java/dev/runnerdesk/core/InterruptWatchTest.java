package dev.runnerdesk.core;

import dev.runnerdesk.testutil.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An interrupt of a watched thread aborts its call, once; a closed watch aborts nothing. */
class InterruptWatchTest {
    private final AtomicInteger aborts = new AtomicInteger();
    private final AtomicReference<InterruptWatch.Handle> handle = new AtomicReference<>();
    private final CountDownLatch watching = new CountDownLatch(1);
    private volatile boolean stop;
    private Thread worker;

    /**
     * A thread that watches itself ({@code closeFirst}: and ends the watch) and then blocks without clearing its
     * interrupt flag, as a blocking network read does (the flag stays set, so the read never learns of it).
     */
    private void startWorker(boolean closeFirst) throws InterruptedException {
        worker = new Thread(() -> {
            InterruptWatch.Handle h = InterruptWatch.watch(aborts::incrementAndGet);
            if (closeFirst) {
                h.close();
            }
            handle.set(h);
            watching.countDown();
            while (!stop) {
                LockSupport.parkNanos(1_000_000);
            }
        }, "interrupt-watch-test");
        worker.start();
        assertTrue(watching.await(10, TimeUnit.SECONDS), "the worker started watching");
    }

    @AfterEach
    void end() throws InterruptedException {
        stop = true;
        if (worker != null) {
            worker.join(10_000);
        }
    }

    @Test
    void anInterruptOfTheWatchedThreadRunsTheAbortOnce() throws InterruptedException {
        startWorker(false);
        assertEquals(0, aborts.get(), "nothing aborted while the thread is not interrupted");
        assertFalse(handle.get().aborted());

        worker.interrupt();

        Await.until(() -> aborts.get() == 1, Duration.ofSeconds(5), () -> "the abort after the interrupt");
        assertTrue(handle.get().aborted());
        assertFalse(Await.within(() -> aborts.get() > 1, Duration.ofMillis(300), "a second abort"),
                "the abort runs once although the thread stays interrupted");
    }

    @Test
    void aClosedWatchAbortsNothing() throws InterruptedException {
        startWorker(true);

        worker.interrupt();

        assertFalse(Await.within(() -> aborts.get() > 0, Duration.ofMillis(400), "an abort"),
                "the watch was closed before the interrupt");
        assertFalse(handle.get().aborted());
    }

    @Test
    void aThreadAlreadyInterruptedIsAbortedAtOnce() {
        Thread.currentThread().interrupt();
        try (InterruptWatch.Handle h = InterruptWatch.watch(aborts::incrementAndGet)) {
            assertEquals(1, aborts.get(), "aborted while registering, not at the next check");
            assertTrue(h.aborted());
        } finally {
            Thread.interrupted(); // leave the test thread as it was
        }
    }
}
