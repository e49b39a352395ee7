package dev.runnerdesk.core;

import java.util.List;
import java.util.Objects;

/**
 * Events newest first, how many events match the query in all, and what the backend says of the page's reach in plain
 * words (empty: nothing to say), e.g. that a gateway without the all-runner route built it from each runner's events.
 */
public record EventPage(List<AuditEvent> events, long total, String note) {
    public EventPage {
        events = List.copyOf(events);
        Objects.requireNonNull(note, "note");
    }

    public EventPage(List<AuditEvent> events, long total) {
        this(events, total, "");
    }
}
