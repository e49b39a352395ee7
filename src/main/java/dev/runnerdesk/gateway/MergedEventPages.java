package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The all-runner events page of a gateway that lacks {@code GET /gateway/admin/events} (RunnerDesk's route; a
 * Curate-Me gateway need not have it), made from each runner's own events page: the newest {@code limit} of all
 * runners' pages before the same seq, with the same filter. Costs one request per runner, so it reads the newest
 * {@value #MAX_RUNNERS} runners only, and says so in the page's note ({@link #RUNNERS_READ}).
 */
final class MergedEventPages {
    /** The most runners whose events are read for one page. */
    static final int MAX_RUNNERS = 200;
    /** What a caller may tell the user about the page's reach. */
    static final String RUNNERS_READ = "This gateway has no all-runner events route; the timeline is built from each "
            + "runner's events (the newest " + MAX_RUNNERS + " runners).";

    private MergedEventPages() {
    }

    /**
     * One page for {@code query} (which names no runner), from {@code list} (the runner pages) and {@code runnerEvents}
     * (one runner's page for a query naming it).
     */
    static EventPage page(EventQuery query, Function<RunnerQuery, RunnerPage> list,
                          BiFunction<String, EventQuery, EventPage> runnerEvents) {
        List<AuditEvent> merged = new ArrayList<>();
        long total = 0;
        for (Runner runner : runners(list)) {
            EventQuery own = new EventQuery(Optional.of(runner.runnerId()), query.limit(), query.beforeSeq(), query.types(),
                    query.sessionId(), query.actor(), query.from(), query.to(), query.text());
            EventPage page = runnerEvents.apply(runner.runnerId(), own);
            merged.addAll(page.events());
            total += page.total();
        }
        merged.sort(Comparator.comparingLong(AuditEvent::seq).reversed());
        return new EventPage(List.copyOf(merged.subList(0, Math.min(query.limit(), merged.size()))), total, RUNNERS_READ);
    }

    /** The newest {@value #MAX_RUNNERS} runners, a list page of {@link RunnerQuery#DEFAULT_LIMIT} at a time. */
    static List<Runner> runners(Function<RunnerQuery, RunnerPage> list) {
        List<Runner> runners = new ArrayList<>();
        while (runners.size() < MAX_RUNNERS) {
            RunnerPage page = list.apply(new RunnerQuery(Optional.empty(), Math.min(RunnerQuery.DEFAULT_LIMIT,
                    MAX_RUNNERS - runners.size()), runners.size()));
            runners.addAll(page.runners());
            if (page.runners().isEmpty() || runners.size() >= page.total()) {
                break;
            }
        }
        return runners;
    }
}
