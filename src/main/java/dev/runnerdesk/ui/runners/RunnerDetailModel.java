package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerState;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runner shown in the detail pane, its last events and the state changes read from them. */
public final class RunnerDetailModel {
    static final int EVENTS_SHOWN = 20;
    /** The most events kept to read the state history from (loaded, then live); older ones are let go. */
    static final int EVENTS_KEPT = 200;
    private static final Map<String, RunnerState> STATE_OF_EVENT = Map.of(
            EventTypes.RUNNER_CREATED, RunnerState.PROVISIONING,
            EventTypes.RUNNER_READY, RunnerState.READY,
            EventTypes.SESSION_STARTED, RunnerState.RUNNING,
            EventTypes.SESSION_STOPPED, RunnerState.READY,
            EventTypes.RUNNER_TERMINATED, RunnerState.TERMINATED,
            EventTypes.RUNNER_EXPIRED, RunnerState.EXPIRED,
            EventTypes.RUNNER_FAILED, RunnerState.FAILED);

    /** The runner shown; null when none (or several) is selected. */
    final ObjectProperty<Runner> runner = new SimpleObjectProperty<>();
    final IntegerProperty selectedCount = new SimpleIntegerProperty();
    /** Newest first, at most {@link #EVENTS_SHOWN}. */
    final ObservableList<AuditEvent> events = FXCollections.observableArrayList();
    /** Oldest first. */
    final ObservableList<StateChange> history = FXCollections.observableArrayList();
    final StringProperty eventsStatus = new SimpleStringProperty("");
    /** How the shown runner is confined and held to its limits, as its provider says; empty when it does not. */
    final StringProperty isolation = new SimpleStringProperty("");
    /** Newest first, at most {@link #EVENTS_KEPT}, each seq once. */
    private final List<AuditEvent> all = new ArrayList<>();
    private long total;

    record StateChange(Instant at, RunnerState state, String cause) {
    }

    /** Events as loaded (newest first); the history is read from all of them, the list keeps the last ones. */
    void setEvents(List<AuditEvent> newestFirst, long total) {
        all.clear();
        all.addAll(newestFirst.subList(0, Math.min(newestFirst.size(), EVENTS_KEPT)));
        this.total = total;
        refresh();
    }

    /**
     * A live event of the shown runner, from its own stream or the list's (the same event from both, or one the load
     * brought too, is kept once), put in seq order.
     */
    void add(AuditEvent event) {
        int at = 0;
        while (at < all.size() && all.get(at).seq() > event.seq()) {
            at++;
        }
        if (at < all.size() && all.get(at).seq() == event.seq()) {
            return;
        }
        all.add(at, event);
        if (all.size() > EVENTS_KEPT) {
            all.remove(all.size() - 1);
        }
        total++;
        refresh();
    }

    /** The newest event's seq, from which live events follow on without a gap; 0 when there is none. */
    long newestSeq() {
        return all.isEmpty() ? 0 : all.get(0).seq();
    }

    void clear() {
        all.clear();
        total = 0;
        events.clear();
        history.clear();
        eventsStatus.set("");
        isolation.set("");
    }

    Optional<String> runnerId() {
        return Optional.ofNullable(runner.get()).map(Runner::runnerId);
    }

    private void refresh() {
        eventsStatus.set(total > EVENTS_SHOWN ? "last " + EVENTS_SHOWN + " of " + total : "");
        events.setAll(all.stream().limit(EVENTS_SHOWN).toList());
        List<StateChange> changes = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            AuditEvent e = all.get(i);
            RunnerState s = STATE_OF_EVENT.get(e.eventType());
            if (s != null && (changes.isEmpty() || changes.get(changes.size() - 1).state() != s)) {
                changes.add(new StateChange(e.timestamp(), s, e.eventType() + " by " + e.actor()));
            }
        }
        history.setAll(changes);
    }
}
