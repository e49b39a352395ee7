package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import javafx.beans.binding.Bindings;
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
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the runner list shows: rows (changed in place by live updates), the filter and state chips with
 * their counts, the time the TTL countdown is computed at, and whether the data is being updated or stale.
 */
public final class RunnerListModel {
    final Clock clock;
    final RunnerRows rows = new RunnerRows();
    final FilteredList<RunnerRow> filtered = new FilteredList<>(rows);
    final SortedList<RunnerRow> sorted = new SortedList<>(filtered);
    final StringProperty filterText = new SimpleStringProperty("");
    final ObservableSet<RunnerState> stateFilter = FXCollections.observableSet();
    final Map<RunnerState, IntegerProperty> counts = new EnumMap<>(RunnerState.class);
    final ObjectProperty<Instant> now;
    final LongProperty total = new SimpleLongProperty();
    /** True once a first list arrived from the current backend. */
    final BooleanProperty loaded = new SimpleBooleanProperty();
    /** A reload is under way; the old rows stay until it answers. */
    final BooleanProperty updating = new SimpleBooleanProperty();
    /** The connection is down: what is shown is the last data that arrived. */
    final BooleanProperty stale = new SimpleBooleanProperty();
    final ObjectProperty<Instant> lastLoaded = new SimpleObjectProperty<>();
    /** False while the backend gates runners (beta): runner actions are hidden. */
    final BooleanProperty actionsAllowed = new SimpleBooleanProperty(true);
    final BooleanProperty mayAdminister = new SimpleBooleanProperty(true);
    final BooleanProperty mayOperate = new SimpleBooleanProperty(true);
    /** The connection answers (online); while it does not, creating is disabled and says why. */
    final BooleanProperty connected = new SimpleBooleanProperty(true);
    /** Why the connection is not usable now ("" while connected), for the reasons disabled actions give. */
    final StringProperty offlineReason = new SimpleStringProperty("");
    /** The caller's role (null until whoami answers), for the reasons disabled actions give on hover. */
    final ObjectProperty<Role> role = new SimpleObjectProperty<>();
    final StringProperty flash = new SimpleStringProperty("");
    /** Why the list could not be loaded ("" when it could): a refusal, or a rate limit and when it is tried again. */
    final StringProperty loadProblem = new SimpleStringProperty("");
    private final Map<String, RunnerRow> byId = new HashMap<>();
    /** The state each row is counted under, so a change moves one count instead of recounting every row. */
    private final Map<String, RunnerState> countedAs = new HashMap<>();
    private final Map<RunnerState, Integer> tally = new EnumMap<>(RunnerState.class);

    public RunnerListModel(Clock clock) {
        this.clock = clock;
        this.now = new SimpleObjectProperty<>(clock.instant());
        for (RunnerState s : RunnerState.values()) {
            counts.put(s, new SimpleIntegerProperty());
        }
        filtered.predicateProperty().bind(Bindings.createObjectBinding(this::predicate, filterText, stateFilter));
        rows.addListener(this::recount);
    }

    /** Merges a fresh list: known rows change in place, new ones appear, missing ones go. */
    void replaceAll(List<Runner> fresh, long totalCount) {
        Set<String> freshIds = new HashSet<>();
        fresh.forEach(r -> freshIds.add(r.runnerId()));
        rows.removeIf(row -> !freshIds.contains(row.id()));
        byId.keySet().retainAll(freshIds);
        Set<RunnerRow> changed = new HashSet<>();
        for (int i = 0; i < fresh.size(); i++) {
            Runner r = fresh.get(i);
            RunnerRow row = byId.get(r.runnerId());
            if (row == null) {
                row = new RunnerRow(r);
                byId.put(r.runnerId(), row);
                rows.add(Math.min(i, rows.size()), row);
            } else if (!row.runner.get().equals(r)) {
                row.runner.set(r);
                changed.add(row);
            }
        }
        rows.updated(changed);
        total.set(totalCount);
        loaded.set(true);
        lastLoaded.set(clock.instant());
    }

    /** One runner changed (or appeared). */
    void upsert(Runner r) {
        upsertAll(List.of(r));
    }

    /** Runners that changed (or appeared), as one change of the list. */
    void upsertAll(Collection<Runner> fresh) {
        Set<RunnerRow> changed = new HashSet<>();
        for (Runner r : fresh) {
            RunnerRow row = byId.get(r.runnerId());
            if (row == null) {
                row = new RunnerRow(r);
                byId.put(r.runnerId(), row);
                rows.add(0, row);
                total.set(total.get() + 1);
            } else if (!row.runner.get().equals(r)) {
                row.runner.set(r);
                changed.add(row);
            }
        }
        rows.updated(changed);
    }

    void remove(String runnerId) {
        RunnerRow row = byId.remove(runnerId);
        if (row != null) {
            rows.remove(row);
            total.set(Math.max(0, total.get() - 1));
        }
    }

    /** A different backend: nothing of the old one may stay. */
    void clear() {
        rows.clear();
        byId.clear();
        total.set(0);
        loaded.set(false);
        lastLoaded.set(null);
    }

    Optional<Runner> find(String runnerId) {
        return Optional.ofNullable(byId.get(runnerId)).map(RunnerRow::runner);
    }

    void tick() {
        now.set(clock.instant());
    }

    public ObservableList<RunnerRow> rows() {
        return rows;
    }

    /** True once a first list arrived from the current backend. */
    public ObservableBooleanValue loadedProperty() {
        return loaded;
    }

    /** How many runners are in each state (before filtering), for the chips and the status bar. */
    public IntegerProperty count(RunnerState state) {
        return counts.get(state);
    }

    /**
     * Keeps the state counts up to date from the list's changes: a recount of every row per change made a burst
     * of 1,000 live updates to a 10,000-row list take seconds on the FX thread.
     */
    private void recount(ListChangeListener.Change<? extends RunnerRow> c) {
        while (c.next()) {
            if (c.wasPermutated()) {
                continue;
            }
            if (c.wasUpdated()) {
                for (int i = c.getFrom(); i < c.getTo(); i++) {
                    count(c.getList().get(i));
                }
                continue;
            }
            for (RunnerRow removed : c.getRemoved()) {
                RunnerState was = countedAs.remove(removed.id());
                if (was != null) {
                    tally.merge(was, -1, Integer::sum);
                }
            }
            c.getAddedSubList().forEach(this::count);
        }
        counts.forEach((s, p) -> p.set(tally.getOrDefault(s, 0)));
    }

    private void count(RunnerRow row) {
        RunnerState now = row.runner().state();
        RunnerState was = countedAs.put(row.id(), now);
        if (was != now) {
            if (was != null) {
                tally.merge(was, -1, Integer::sum);
            }
            tally.merge(now, 1, Integer::sum);
        }
    }

    private Predicate<RunnerRow> predicate() {
        String[] words = filterText.get() == null ? new String[0]
                : filterText.get().toLowerCase(Locale.ROOT).trim().split("\\s+");
        Set<RunnerState> states = Set.copyOf(stateFilter);
        return row -> {
            Runner r = row.runner();
            if (!states.isEmpty() && !states.contains(r.state())) {
                return false;
            }
            String haystack = searchText(r);
            for (String w : words) {
                if (!w.isEmpty() && !haystack.contains(w)) {
                    return false;
                }
            }
            return true;
        };
    }

    static String searchText(Runner r) {
        return String.join(" ", r.runnerId(), r.providerType().wireName(), r.toolProfile().wireName(),
                r.state().wireName(), r.imageRef().orElse(""), r.activeSession().map(Session::sessionId).orElse(""),
                r.error().orElse("")).toLowerCase(Locale.ROOT);
    }
}
