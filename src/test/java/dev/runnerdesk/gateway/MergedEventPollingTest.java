package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.ui.CurateMeGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The all-runner live events of a gateway without the all-runner events route, counted on a gateway that counts
 * requests: a poll reads the list and the live runners only; an ended runner once more, then on the slow pass.
 */
@Timeout(60)
class MergedEventPollingTest {
    private static final int LIVE = 5;
    private static final int ENDED = 45;
    private CurateMeGateway gateway;
    private GatewayRunnerService client;
    private final AtomicLong now = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        gateway = new CurateMeGateway();
        for (int i = 0; i < LIVE + ENDED; i++) {
            String id = id(i);
            gateway.runner(id, i < LIVE ? "running" : "terminated", null);
            gateway.event(id, "runner.created");
        }
        client = new GatewayRunnerService(GatewayConnection.of(gateway.url(), "cm_sk_counting_0123456789", true));
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
    }

    private static String id(int i) {
        return String.format("runner_%012d", i);
    }

    private long eventPagesAsked(int runner) {
        return gateway.count("/gateway/admin/runners/" + id(runner) + "/events");
    }

    @Test
    void aBusyMinuteCostsTheListAndTheLiveRunnersOnly() {
        MergedEventPolling polling = new MergedEventPolling(client::list, client::events, now::get);
        long seen = LIVE + ENDED;
        assertEquals(List.of(), polling.after(seen), "the first poll reads every runner, and nothing is new");
        gateway.asked.clear();

        // a busy minute: a poll every 2 s, each with a new event of a live runner
        List<Long> delivered = new ArrayList<>();
        for (int poll = 0; poll < 30; poll++) {
            now.addAndGet(GatewaySubscription.POLL_MILLIS);
            long seq = gateway.event(id(poll % LIVE), "command.executed");
            List<AuditEvent> fresh = polling.after(seen);
            fresh.forEach(e -> delivered.add(e.seq()));
            seen = seq;
            assertEquals(List.of(seq), fresh.stream().map(AuditEvent::seq).toList(), "each poll brings the new event");
        }
        assertEquals(30, delivered.size());
        long requests = gateway.asked.size();
        assertEquals(30 * (1 + LIVE), requests, "a list page and one events page per live runner, each poll: " + requests);
        assertTrue(requests * 5 < 30 * (1 + LIVE + ENDED), "far below reading every runner every poll");
        for (int ended = LIVE; ended < LIVE + ENDED; ended++) {
            assertEquals(0, eventPagesAsked(ended), "an ended runner is not polled: " + id(ended));
        }

        // a runner that ends is read once more (its closing events), then no longer
        gateway.runner(id(0), "terminated", null);
        long closing = gateway.event(id(0), "runner.terminated");
        gateway.asked.clear();
        now.addAndGet(GatewaySubscription.POLL_MILLIS);
        assertEquals(List.of(closing), polling.after(seen).stream().map(AuditEvent::seq).toList());
        seen = closing;
        assertEquals(1, eventPagesAsked(0));
        now.addAndGet(GatewaySubscription.POLL_MILLIS);
        polling.after(seen);
        assertEquals(1, eventPagesAsked(0), "read once after it ended");

        // the slow pass reads the ended runners too: a denial that names one is found within it
        long denied = gateway.event(id(LIVE + 3), "command.denied");
        now.addAndGet(MergedEventPolling.SLOW_PASS_MILLIS);
        assertEquals(List.of(denied), polling.after(seen).stream().map(AuditEvent::seq).toList());
    }

    @Test
    void pollingBacksOffWhileNothingComesAndReturnsAtOnceWhenSomethingDoes() {
        long wait = GatewaySubscription.POLL_MILLIS;
        List<Long> waits = new ArrayList<>();
        for (int quiet = 0; quiet < 5; quiet++) {
            wait = GatewaySubscription.nextPollMillis(wait, false);
            waits.add(wait);
        }
        assertEquals(List.of(4_000L, 8_000L, 16_000L, 16_000L, 16_000L), waits);
        assertEquals(GatewaySubscription.POLL_MILLIS, GatewaySubscription.nextPollMillis(wait, true));
    }
}
