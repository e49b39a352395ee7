package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventQuery;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the timeline shows: the filter (types, runner, session, actor, time range, text), the pages of events
 * loaded so far (newest first; never everything), follow mode with the events that arrived while paused, the
 * selected event and the chain badge.
 */
public final class TimelineModel {
    /** Events per page asked of the service. */
    public static final int PAGE = 200;
    /** Live events beyond this many drop the oldest loaded ones (they load again on scroll). */
    static final int LIVE_CAP = 20_000;
    /** Newer events shown above an anchored seq. */
    static final int ANCHOR_CONTEXT = 20;
    static final DateTimeFormatter INPUT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    final Clock clock;
    // ---- the filter
    final ObservableSet<String> types = FXCollections.observableSet(new TreeSet<>());
    final StringProperty runner = new SimpleStringProperty("");
    final StringProperty session = new SimpleStringProperty("");
    final StringProperty actor = new SimpleStringProperty("");
    final StringProperty text = new SimpleStringProperty("");
    final ObjectProperty<TimeRange> range = new SimpleObjectProperty<>(TimeRange.ANY);
    final StringProperty customFrom = new SimpleStringProperty("");
    final StringProperty customTo = new SimpleStringProperty("");
    final StringProperty filterProblem = new SimpleStringProperty("");
    // ---- what is loaded
    final ObservableList<AuditEvent> events = FXCollections.observableArrayList();
    final LongProperty total = new SimpleLongProperty();
    final BooleanProperty hasMore = new SimpleBooleanProperty();
    final BooleanProperty loading = new SimpleBooleanProperty();
    /** The person cancelled the first page's load before anything was shown: the empty table says so, not "Loading". */
    final BooleanProperty loadCancelled = new SimpleBooleanProperty();
    final BooleanProperty loaded = new SimpleBooleanProperty();
    final IntegerProperty pagesLoaded = new SimpleIntegerProperty();
    /** The query the events shown answer (its time range fixed when it ran). */
    final ObjectProperty<EventQuery> shownQuery = new SimpleObjectProperty<>();
    // ---- follow mode
    final BooleanProperty followWanted = new SimpleBooleanProperty(true);
    final BooleanProperty atTop = new SimpleBooleanProperty(true);
    final List<AuditEvent> pending = new ArrayList<>();
    final IntegerProperty pendingCount = new SimpleIntegerProperty();
    // ---- detail, chain badge
    final ObjectProperty<AuditEvent> selected = new SimpleObjectProperty<>();
    /** What the chain check of the loaded events found; the badge ({@link #chain}) joins it with the signed checkpoints. */
    final ObjectProperty<ChainBadge.LoadedCheck> loadedCheck = new SimpleObjectProperty<>(ChainBadge.LoadedCheck.NONE);
    final ObjectProperty<ChainStatus> chain = new SimpleObjectProperty<>(ChainStatus.none());
    /** Show the events around this seq instead of the newest ones (0: the newest); "Show seq N" sets it, a filter clears it. */
    final LongProperty anchorSeq = new SimpleLongProperty();
    final StringProperty exportStatus = new SimpleStringProperty("");
    /** What the backend said of the shown pages' reach (a gateway without an optional route); empty when nothing. */
    final StringProperty routeNote = new SimpleStringProperty("");
    /** How live events reach the timeline when not as they happen (a gateway without a stream route); empty when streamed. */
    final StringProperty liveNote = new SimpleStringProperty("");
    final StringBinding queryLine;

    public TimelineModel(Clock clock) {
        this.clock = clock;
        queryLine = Bindings.createStringBinding(this::describeFilter, types, runner, session, actor, text, range, customFrom,
                customTo);
    }

    /** Following: new events go in at the top. Scrolling away from the top pauses it. */
    public boolean following() {
        return followWanted.get() && atTop.get();
    }

    /** Whether the filter narrows anything beyond "all runners". */
    boolean filtered() {
        return !types.isEmpty() || !runner.get().isBlank() || !session.get().isBlank() || !actor.get().isBlank()
                || !text.get().isBlank() || range.get() != TimeRange.ANY;
    }

    /** The service query for the filter as it stands, with relative ranges counted from now. */
    EventQuery query(int limit) {
        filterProblem.set("");
        Optional<Instant> from = Optional.empty();
        Optional<Instant> to = Optional.empty();
        TimeRange r = range.get();
        if (r.span().isPresent()) {
            from = Optional.of(clock.instant().minus(r.span().get()));
        } else if (r == TimeRange.CUSTOM) {
            from = parseTime(customFrom.get(), "from");
            to = parseTime(customTo.get(), "to");
        }
        // around the anchor: a few newer events above it, the older ones below
        Optional<Long> before = anchorSeq.get() > 0 ? Optional.of(anchorSeq.get() + ANCHOR_CONTEXT + 1) : Optional.empty();
        return new EventQuery(blankToEmpty(runner.get()), limit, before, Set.copyOf(types),
                blankToEmpty(session.get()), blankToEmpty(actor.get()), from, to, blankToEmpty(text.get()));
    }

    private Optional<Instant> parseTime(String value, String which) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(value.trim(), INPUT_TIME).atZone(zone()).toInstant());
        } catch (DateTimeParseException e) {
            filterProblem.set("“" + which + "” must look like 2030-01-31 14:05");
            return Optional.empty();
        }
    }

    ZoneId zone() {
        return ZoneId.systemDefault();
    }

    private static Optional<String> blankToEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    /** The filter as a readable line: {@code type in (command.denied, auth.denied) · last 24 h · text "curl"}. */
    String describeFilter() {
        List<String> parts = new ArrayList<>();
        if (!types.isEmpty()) {
            parts.add(types.size() == 1 ? "type = " + types.iterator().next() : "type in (" + String.join(", ", types) + ")");
        }
        if (!runner.get().isBlank()) {
            parts.add("runner = " + runner.get().trim());
        }
        if (!session.get().isBlank()) {
            parts.add("session = " + session.get().trim());
        }
        if (!actor.get().isBlank()) {
            parts.add("actor = " + actor.get().trim());
        }
        TimeRange r = range.get();
        if (r == TimeRange.CUSTOM) {
            String f = customFrom.get().isBlank() ? "…" : customFrom.get().trim();
            String t = customTo.get().isBlank() ? "now" : customTo.get().trim();
            parts.add("from " + f + " to " + t);
        } else if (r != TimeRange.ANY) {
            parts.add(r.phrase());
        }
        if (!text.get().isBlank()) {
            parts.add("text \"" + text.get().trim() + "\"");
        }
        return parts.isEmpty() ? "all events of all runners" : String.join(" · ", parts);
    }

    void clearFilter() {
        types.clear();
        runner.set("");
        session.set("");
        actor.set("");
        text.set("");
        range.set(TimeRange.ANY);
        customFrom.set("");
        customTo.set("");
    }

    /** Shows only the preset's event types. */
    void showOnly(TypePreset preset) {
        types.clear();
        types.addAll(preset.types);
    }

    /** The text to highlight in rows, lower case; empty for none. */
    String highlight() {
        return text.get() == null ? "" : text.get().trim().toLowerCase(Locale.ROOT);
    }

    Optional<AuditEvent> newest() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(0));
    }

    Optional<AuditEvent> oldest() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }

    public ObservableList<AuditEvent> events() {
        return events;
    }

    /** The chain badge: what was checked and what came of it. */
    record ChainStatus(Kind kind, String text, String detail) {
        enum Kind { NONE, VERIFIED, GAP, BROKEN, UNCHECKED }

        static ChainStatus none() {
            return new ChainStatus(Kind.NONE, "", "");
        }

        static ChainStatus unchecked() {
            return new ChainStatus(Kind.UNCHECKED, "chain check needs the unfiltered view",
                    "With a filter the events shown are not consecutive, so their links cannot be checked. Clear the filter "
                            + "to verify the hash chain.");
        }

        static ChainStatus of(ChainVerification v, long from, long to, long count) {
            if (v instanceof ChainVerification.Failed f) {
                return f.problem() == ChainVerification.Problem.GAP
                        ? new ChainStatus(Kind.GAP, String.format(Locale.ROOT, "gap at seq %,d", f.seq()),
                        "Event " + f.seq() + " is missing from the trail.")
                        : new ChainStatus(Kind.BROKEN, f.problem().label()
                        + (f.seq() > 0 ? String.format(Locale.ROOT, " at seq %,d", f.seq()) : ""), capitalize(f.detail()) + ".");
            }
            if (count == 0) {
                return new ChainStatus(Kind.VERIFIED, "verified (nothing to check)", "No events loaded.");
            }
            return new ChainStatus(Kind.VERIFIED, "verified", String.format(Locale.ROOT,
                    "The %,d events loaded (seq %,d–%,d) match their hashes and each links to the one before it.", count, from, to));
        }

        private static String capitalize(String s) {
            return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }
}
