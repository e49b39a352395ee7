package dev.runnerdesk.core;

import java.util.List;

/** Events newest first, and how many events match the query in all. */
public record EventPage(List<AuditEvent> events, long total) {
    public EventPage {
        events = List.copyOf(events);
    }
}
