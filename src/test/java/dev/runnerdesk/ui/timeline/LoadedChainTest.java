package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chain check of what the timeline loaded, page by page and event by event; no toolkit, no runtime. */
class LoadedChainTest {
    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

    /** A correct trail of {@code count} events, oldest first; {@code legacyUntil} of them hashed in the old form. */
    private static List<AuditEvent> trail(int count, int legacyUntil) {
        List<AuditEvent> events = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int seq = 1; seq <= count; seq++) {
            Instant at = T0.plusSeconds(seq);
            Map<String, Object> data = seq <= legacyUntil ? Map.of("ratio", new BigDecimal("1E-7")) : Map.of("n", seq);
            AuditEvent unhashed = new AuditEvent(seq, EventTypes.COMMAND_EXECUTED, at, Optional.of("runner_000000000001"),
                    Optional.empty(), "local", data, prev, "");
            String hash = seq <= legacyUntil ? AuditChain.legacyHash(unhashed)
                    : AuditChain.hash(prev, seq, EventTypes.COMMAND_EXECUTED, at, "runner_000000000001", null, "local", data);
            events.add(new AuditEvent(seq, unhashed.eventType(), at, unhashed.runnerId(), unhashed.sessionId(), "local", data,
                    prev, hash));
            prev = hash;
        }
        return events;
    }

    /** Seqs {@code from..to} of {@code trail}, newest first, as a page arrives. */
    private static List<AuditEvent> page(List<AuditEvent> trail, int from, int to) {
        List<AuditEvent> page = new ArrayList<>(trail.subList(from - 1, to));
        Collections.reverse(page);
        return page;
    }

    private static AuditEvent altered(AuditEvent e) {
        return new AuditEvent(e.seq(), e.eventType(), e.timestamp(), e.runnerId(), e.sessionId(), "mallory", e.data(),
                e.prevHash(), e.hash());
    }

    /** A backend that only answers the audit status (or has no signed trail), counting how often it is asked. */
    private static RunnerService backend(AtomicInteger asked, long legacyUntil) {
        return (RunnerService) Proxy.newProxyInstance(RunnerService.class.getClassLoader(), new Class<?>[] {RunnerService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("auditStatus")) {
                        asked.incrementAndGet();
                        if (legacyUntil < 0) {
                            throw new RunnerException.NotFound("no audit routes here");
                        }
                        return new AuditStatus(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), 100,
                                Optional.empty(), legacyUntil, Optional.empty());
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ChainVerification.Failed problem(ChainBadge.LoadedCheck check) {
        assertEquals(ChainBadge.LoadedCheck.State.CHECKED, check.state());
        assertTrue(check.result() instanceof ChainVerification.Failed, String.valueOf(check.result()));
        return (ChainVerification.Failed) check.result();
    }

    @Test
    void pagesAreCheckedAcrossTheirBoundaries() {
        List<AuditEvent> trail = trail(30, 0);
        RunnerService service = backend(new AtomicInteger(), -1);
        LoadedChain chain = new LoadedChain();
        chain.restart(true);
        List<AuditEvent> loaded = new ArrayList<>(page(trail, 21, 30));
        chain.pageChecked(chain.checkPage(service, loaded, Optional.empty()));
        List<AuditEvent> older = page(trail, 11, 20);
        chain.pageChecked(chain.checkPage(service, older, Optional.of(loaded.get(loaded.size() - 1))));
        loaded.addAll(older);
        ChainBadge.LoadedCheck check = chain.state(loaded);
        assertEquals(new ChainVerification.Verified(11, 30, 20), check.result());

        // the same pages with seq 20 missing where they join: a gap, found only by linking them
        LoadedChain gapped = new LoadedChain();
        gapped.restart(true);
        gapped.pageChecked(gapped.checkPage(service, page(trail, 21, 30), Optional.empty()));
        gapped.pageChecked(gapped.checkPage(service, page(trail, 11, 19), Optional.of(trail.get(20))));
        ChainVerification.Failed gap = problem(gapped.state(loaded));
        assertEquals(ChainVerification.Problem.GAP, gap.problem());
        assertEquals(20, gap.seq());
    }

    @Test
    void theLowestProblemIsKeptUntilAFirstPageLoadsAgain() {
        List<AuditEvent> trail = new ArrayList<>(trail(30, 0));
        trail.set(24, altered(trail.get(24))); // seq 25
        RunnerService service = backend(new AtomicInteger(), -1);
        LoadedChain chain = new LoadedChain();
        chain.restart(true);
        chain.pageChecked(chain.checkPage(service, page(trail, 21, 30), Optional.empty()));
        assertEquals(25, problem(chain.state(page(trail, 21, 30))).seq());
        trail.set(14, altered(trail.get(14))); // seq 15, in the next page down
        chain.pageChecked(chain.checkPage(service, page(trail, 11, 20), Optional.of(trail.get(20))));
        assertEquals(15, problem(chain.state(page(trail, 11, 30))).seq());
        chain.newerArrived(Optional.of(trail.get(29)), List.of(altered(trail(31, 0).get(30))));
        assertEquals(15, problem(chain.state(page(trail, 11, 30))).seq(), "a later problem does not hide an earlier one");

        chain.restart(true);
        List<AuditEvent> clean = trail(30, 0);
        chain.pageChecked(chain.checkPage(service, page(clean, 21, 30), Optional.empty()));
        assertTrue(chain.state(page(clean, 21, 30)).result().isVerified(), "a fresh first page starts afresh");
    }

    @Test
    void aFilteredViewIsNotChecked() {
        List<AuditEvent> trail = trail(10, 0);
        LoadedChain chain = new LoadedChain();
        chain.restart(false);
        chain.pageChecked(new ChainVerification.Failed(ChainVerification.Problem.GAP, 3, 0, "event 3 is missing"));
        chain.newerArrived(Optional.of(trail.get(4)), List.of(trail.get(7)));
        assertEquals(ChainBadge.LoadedCheck.UNCHECKED, chain.state(page(trail, 1, 10)));
    }

    @Test
    void liveEventsAreLinkedToTheNewestLoadedOne() {
        List<AuditEvent> trail = trail(12, 0);
        RunnerService service = backend(new AtomicInteger(), -1);
        LoadedChain chain = new LoadedChain();
        chain.restart(true);
        chain.pageChecked(chain.checkPage(service, page(trail, 1, 10), Optional.empty()));
        chain.newerArrived(Optional.of(trail.get(9)), List.of(trail.get(10)));
        assertEquals(new ChainVerification.Verified(1, 11, 11), chain.state(page(trail, 1, 11)).result());
        chain.newerArrived(Optional.of(trail.get(9)), List.of(trail.get(11))); // seq 12 above 10: 11 went missing
        ChainVerification.Failed gap = problem(chain.state(page(trail, 1, 12)));
        assertEquals(ChainVerification.Problem.GAP, gap.problem());
        assertEquals(11, gap.seq());
    }

    @Test
    void eventsHashedInTheOldFormAreCheckedInItAfterAskingTheBackendOnce() {
        List<AuditEvent> trail = trail(20, 5);
        AtomicInteger asked = new AtomicInteger();
        RunnerService service = backend(asked, 5);
        LoadedChain chain = new LoadedChain();
        chain.restart(true);
        chain.pageChecked(chain.checkPage(service, page(trail, 11, 20), Optional.empty()));
        assertEquals(0, asked.get(), "nothing seems changed: nothing asked");
        chain.pageChecked(chain.checkPage(service, page(trail, 1, 10), Optional.of(trail.get(10))));
        assertEquals(1, asked.get());
        assertTrue(chain.state(page(trail, 1, 20)).result().isVerified(), String.valueOf(chain.state(page(trail, 1, 20))));
        chain.pageChecked(chain.checkPage(service, page(trail, 1, 10), Optional.of(trail.get(10))));
        assertEquals(1, asked.get(), "asked once per backend");

        // a backend without a signed trail has no old form: asked once, and the content change stands
        AtomicInteger plainAsked = new AtomicInteger();
        RunnerService plain = backend(plainAsked, -1);
        LoadedChain other = new LoadedChain();
        other.restart(true);
        other.pageChecked(other.checkPage(plain, page(trail, 1, 10), Optional.empty()));
        other.pageChecked(other.checkPage(plain, page(trail, 1, 10), Optional.empty()));
        assertEquals(1, plainAsked.get());
        assertEquals(ChainVerification.Problem.CONTENT_CHANGED, problem(other.state(page(trail, 1, 10))).problem());
    }
}
