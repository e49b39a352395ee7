package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.RunnerService;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The hash chain of the events the timeline has loaded, checked in the unfiltered view only (a filter's events are
 * not consecutive): each page in ascending order, linked to the page loaded before it, so the check runs across page
 * boundaries; live events linked to the newest loaded one; seq 1 to the genesis hash. The lowest problem found is
 * kept until a first page loads again. Events hashed before RFC 8785 are checked in their own form: where content
 * seems changed, the backend is asked once up to which seq that form holds. No JavaFX: pages are checked off the
 * FX thread ({@link #checkPage}), the rest is called on it.
 */
final class LoadedChain {
    private boolean checking;
    private ChainVerification problem;
    /** Events up to this seq are hashed in the form used before RFC 8785 (asked of the backend once, when needed). */
    private volatile long legacyUntil;
    private volatile boolean legacyAsked;
    private volatile RunnerService legacyOf;

    /** A first page is shown: its chain is checked when the view is {@code unfiltered}; earlier findings go. */
    void restart(boolean unfiltered) {
        checking = unfiltered;
        problem = null;
    }

    /** Whether what is loaded is checked (the unfiltered view). */
    boolean checking() {
        return checking;
    }

    /**
     * Checks a page (newest first) linked to {@code newerLoaded}, the oldest event loaded before it. Off the FX thread;
     * a backend without a signed trail has no legacy form, and its events are all checked in today's form.
     */
    ChainVerification checkPage(RunnerService service, List<AuditEvent> newestFirst, Optional<AuditEvent> newerLoaded) {
        List<AuditEvent> ascending = new ArrayList<>(newestFirst);
        Collections.reverse(ascending);
        newerLoaded.ifPresent(ascending::add);
        String firstPrev = !ascending.isEmpty() && ascending.get(0).seq() == 1 ? AuditChain.GENESIS : null;
        if (service != legacyOf) { // another backend: its own legacy seq
            legacyOf = service;
            legacyUntil = 0;
            legacyAsked = false;
        }
        ChainVerification v = AuditChain.verify(ascending, firstPrev, legacyUntil);
        if (v instanceof ChainVerification.Failed f && f.problem() == ChainVerification.Problem.CONTENT_CHANGED && !legacyAsked) {
            legacyAsked = true;
            try {
                legacyUntil = service.auditStatus().legacyFormUntilSeq();
                v = AuditChain.verify(ascending, firstPrev, legacyUntil);
            } catch (RuntimeException noSignedTrail) {
                // a gateway without the audit routes: its events are all checked in today's form
            }
        }
        return v;
    }

    /** A page's check arrived (null: the page was not checked); the lowest problem is kept. */
    void pageChecked(ChainVerification v) {
        if (checking && v != null && !v.isVerified() && (problem == null || seqOf(v) < seqOf(problem))) {
            problem = v;
        }
    }

    /** Events (ascending) that go in above {@code newestLoaded}: checked against it, when the chain is checked. */
    void newerArrived(Optional<AuditEvent> newestLoaded, List<AuditEvent> ascending) {
        if (!checking || ascending.isEmpty()) {
            return;
        }
        List<AuditEvent> linked = new ArrayList<>();
        newestLoaded.ifPresent(linked::add);
        linked.addAll(ascending);
        pageChecked(AuditChain.verify(linked, linked.get(0).seq() == 1 ? AuditChain.GENESIS : null, legacyUntil));
    }

    /** What the badge says of the {@code loaded} events (newest first): unchecked, the lowest problem, or verified. */
    ChainBadge.LoadedCheck state(List<AuditEvent> loaded) {
        if (!checking) {
            return ChainBadge.LoadedCheck.UNCHECKED;
        }
        if (problem != null) {
            return ChainBadge.LoadedCheck.of(problem);
        }
        long from = loaded.isEmpty() ? 0 : loaded.get(loaded.size() - 1).seq();
        long to = loaded.isEmpty() ? 0 : loaded.get(0).seq();
        return ChainBadge.LoadedCheck.of(new ChainVerification.Verified(from, to, loaded.size()));
    }

    private static long seqOf(ChainVerification v) {
        return v instanceof ChainVerification.Failed f ? f.seq() : Long.MAX_VALUE;
    }
}
