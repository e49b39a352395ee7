package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Live events of all runners on a gateway without {@code GET /gateway/admin/events} (a Curate-Me gateway), polled from
 * each runner's own events page — but only of the runners that can still produce events: a runner in a final state
 * ({@code terminated}, {@code failed}, {@code expired}) is read once more when it gets there (its closing events), and
 * otherwise only on a slow pass every {@value #SLOW_PASS_MILLIS} ms (a denial can still name it). The runner list is
 * read on each poll (a page per {@link RunnerQuery#DEFAULT_LIMIT} runners, at most {@value MergedEventPages#MAX_RUNNERS}),
 * so a new runner is polled from the next poll on.
 *
 * <p>Cost, for N live and M ended runners (N + M ≤ 200) and L = ⌈(N + M) / 100⌉ list pages: a poll is L + N requests.
 * {@link GatewaySubscription} polls every 2 s while events come and backs off to every 16 s while none do, so per
 * minute: at most 30·(L + N) + M/5 (busy), about 4·(L + N) + M/5 (quiet). With 10 live runners among 200 that is
 * at most 398 requests a minute (about 86 when quiet), where reading every runner every 2 s took 30·(2 + 200) = 6,060.
 */
final class MergedEventPolling implements GatewaySubscription.Polling {
    /** How often the ended runners are read too. */
    static final long SLOW_PASS_MILLIS = 5 * 60_000;

    private final Function<RunnerQuery, RunnerPage> list;
    private final Function<EventQuery, EventPage> runnerEvents;
    private final LongSupplier clockMillis;
    private long lastSlowPass = Long.MIN_VALUE;
    /** The runners that were live at the last poll: one that has ended since is read once more. */
    private Set<String> wasLive = Set.of();

    /** {@code runnerEvents} reads one runner's events page (for a query naming it); {@code clockMillis} is the time. */
    MergedEventPolling(Function<RunnerQuery, RunnerPage> list, Function<EventQuery, EventPage> runnerEvents,
                       LongSupplier clockMillis) {
        this.list = list;
        this.runnerEvents = runnerEvents;
        this.clockMillis = clockMillis;
    }

    /**
     * The polling of a subscription to all runners: through the all-runner events page while the gateway has the route,
     * through this once {@code noAllEventsRoute} says it has not.
     */
    static GatewaySubscription.Polling ofAllRunners(Function<EventQuery, EventPage> pages, Function<RunnerQuery, RunnerPage> list,
                                                    BooleanSupplier noAllEventsRoute) {
        GatewaySubscription.Polling paged = GatewaySubscription.paged(Optional.empty(), pages);
        MergedEventPolling merged = new MergedEventPolling(list, pages, System::currentTimeMillis);
        return new GatewaySubscription.Polling() {
            @Override
            public long newest() {
                return noAllEventsRoute.getAsBoolean() ? merged.newest() : paged.newest();
            }

            @Override
            public List<AuditEvent> after(long seq) {
                return noAllEventsRoute.getAsBoolean() ? merged.after(seq) : paged.after(seq);
            }
        };
    }

    /** The newest seq of any runner: each runner's newest event, read once when a subscription starts. */
    @Override
    public long newest() {
        long newest = 0;
        for (Runner runner : MergedEventPages.runners(list)) {
            List<AuditEvent> own = runnerEvents.apply(EventQuery.ofRunner(runner.runnerId(), 1)).events();
            newest = Math.max(newest, own.isEmpty() ? 0 : own.get(0).seq());
        }
        return newest;
    }

    @Override
    public List<AuditEvent> after(long seq) {
        long now = clockMillis.getAsLong();
        boolean slowPass = lastSlowPass == Long.MIN_VALUE || now - lastSlowPass >= SLOW_PASS_MILLIS;
        if (slowPass) {
            lastSlowPass = now;
        }
        List<AuditEvent> fresh = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (Runner runner : MergedEventPages.runners(list)) {
            String id = runner.runnerId();
            if (!runner.state().isFinal()) {
                live.add(id);
            }
            if (live.contains(id) || wasLive.contains(id) || slowPass) {
                fresh.addAll(GatewaySubscription.newerThan(runnerEvents, Optional.of(id), seq));
            }
        }
        wasLive = live;
        fresh.sort(Comparator.comparingLong(AuditEvent::seq));
        return fresh;
    }
}
