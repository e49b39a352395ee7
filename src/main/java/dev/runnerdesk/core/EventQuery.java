package dev.runnerdesk.core;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A page of the audit trail, newest first: all runners' events or one runner's, before a seq (exclusive)
 * or from the newest, narrowed by event types, session, actor, a time range ({@code from} inclusive,
 * {@code to} exclusive) and a free text found in the event's type, ids, actor or data.
 */
public record EventQuery(Optional<String> runnerId, int limit, Optional<Long> beforeSeq, Set<String> types,
                         Optional<String> sessionId, Optional<String> actor, Optional<Instant> from,
                         Optional<Instant> to, Optional<String> text) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        Objects.requireNonNull(runnerId, "runnerId");
        Objects.requireNonNull(beforeSeq, "beforeSeq");
        types = Set.copyOf(types);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        text = text.filter(t -> !t.isBlank());
    }

    public EventQuery(Optional<String> runnerId, int limit, Optional<Long> beforeSeq) {
        this(runnerId, limit, beforeSeq, Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public static EventQuery ofRunner(String runnerId, int limit) {
        return new EventQuery(Optional.of(runnerId), limit, Optional.empty());
    }

    public static EventQuery all(int limit) {
        return new EventQuery(Optional.empty(), limit, Optional.empty());
    }

    /** The same filter, for the page before {@code seq}. */
    public EventQuery before(long seq) {
        return new EventQuery(runnerId, limit, Optional.of(seq), types, sessionId, actor, from, to, text);
    }

    /** Whether anything beyond the runner narrows the query. */
    public boolean isFiltered() {
        return !types.isEmpty() || sessionId.isPresent() || actor.isPresent() || from.isPresent() || to.isPresent()
                || text.isPresent();
    }

    /** Whether an event passes the filter (the same rule the store applies in SQL). */
    public boolean matches(AuditEvent e) {
        if (runnerId.isPresent() && !runnerId.equals(e.runnerId())) {
            return false;
        }
        if (!types.isEmpty() && !types.contains(e.eventType())) {
            return false;
        }
        if (sessionId.isPresent() && !sessionId.equals(e.sessionId()) || actor.isPresent() && !actor.get().equals(e.actor())) {
            return false;
        }
        if (from.isPresent() && e.timestamp().isBefore(from.get()) || to.isPresent() && !e.timestamp().isBefore(to.get())) {
            return false;
        }
        if (text.isPresent()) {
            String needle = text.get().toLowerCase(Locale.ROOT);
            StringBuilder data = new StringBuilder();
            AuditChain.writeCanonical(data, e.data());
            String hay = (e.eventType() + " " + e.runnerId().orElse("") + " " + e.sessionId().orElse("") + " " + e.actor() + " "
                    + data).toLowerCase(Locale.ROOT);
            return hay.contains(needle);
        }
        return true;
    }
}
