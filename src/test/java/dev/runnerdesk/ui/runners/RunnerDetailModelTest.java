package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The detail's events: each seq once, in seq order whichever way it came, and no more kept than the bound. */
@Timeout(30)
class RunnerDetailModelTest {
    private static AuditEvent event(long seq) {
        return new AuditEvent(seq, "command.executed", Instant.EPOCH, Optional.of("runner_aaaaaaaaaaaa"), Optional.empty(),
                "someone", Map.of(), "a", "b");
    }

    @Test
    void liveEventsAreKeptOnceInOrderAndBounded() {
        RunnerDetailModel model = new RunnerDetailModel();
        model.setEvents(List.of(event(5), event(3)), 2);
        model.add(event(7));
        model.add(event(5)); // the load brought it, the stream too
        model.add(event(6)); // the list's subscription was quicker with 7
        assertEquals(List.of(7L, 6L, 5L, 3L), model.events.stream().map(AuditEvent::seq).toList());
        assertEquals(7, model.newestSeq());

        for (long seq = 8; seq < 8 + 2 * RunnerDetailModel.EVENTS_KEPT; seq++) {
            model.add(event(seq));
        }
        assertEquals(RunnerDetailModel.EVENTS_SHOWN, model.events.size());
        assertEquals(7 + 2 * RunnerDetailModel.EVENTS_KEPT, model.newestSeq());
        assertEquals("last " + RunnerDetailModel.EVENTS_SHOWN + " of " + (4 + 2 * RunnerDetailModel.EVENTS_KEPT),
                model.eventsStatus.get(), "the count goes on with the live events");
    }
}
