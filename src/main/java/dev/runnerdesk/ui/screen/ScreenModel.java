package dev.runnerdesk.ui.screen;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The computer actions of one session of a runner, oldest first, and which one is shown. Actions come from
 * the events page and the live subscription, in any order and twice at times; each is kept once, in seq
 * order. Only the newest session counts: an action of a newer session starts the sequence over.
 */
public final class ScreenModel {
    /** How many actions of a session are kept (their screenshots are loaded only when shown). */
    static final int MAX_FRAMES = 5_000;

    /** Oldest first. */
    final ObservableList<ComputerAction> frames = FXCollections.observableArrayList();
    /** The frame shown, from 0; -1 while there is none. */
    final IntegerProperty index = new SimpleIntegerProperty(-1);
    /** Show each new action as it arrives. */
    final BooleanProperty follow = new SimpleBooleanProperty(true);
    /** The runner watched, or "" for none. */
    final StringProperty runnerId = new SimpleStringProperty("");
    /** What the live part does: loading, following, or why it does not. */
    final StringProperty status = new SimpleStringProperty("");
    final BooleanBinding hasPrevious = Bindings.createBooleanBinding(() -> index.get() > 0, index);
    final BooleanBinding hasNext = Bindings.createBooleanBinding(() -> index.get() >= 0 && index.get() < frames.size() - 1,
            index, frames);
    /** The seq of the action whose screenshot is on screen; -1 while none is. */
    final LongProperty shownSeq = new SimpleLongProperty(-1);
    private final TreeMap<Long, ComputerAction> bySeq = new TreeMap<>();

    public ObservableList<ComputerAction> frames() {
        return frames;
    }

    public IntegerProperty index() {
        return index;
    }

    public BooleanProperty follow() {
        return follow;
    }

    public LongProperty shownSeq() {
        return shownSeq;
    }

    public StringProperty status() {
        return status;
    }

    /** The action shown, if any. */
    public Optional<ComputerAction> current() {
        int i = index.get();
        return i >= 0 && i < frames.size() ? Optional.of(frames.get(i)) : Optional.empty();
    }

    /** Starts over for {@code runner} ("" for none). */
    void reset(String runner) {
        bySeq.clear();
        frames.clear();
        index.set(-1);
        shownSeq.set(-1);
        follow.set(true);
        runnerId.set(runner);
        status.set("");
    }

    /** Adds actions (any order, duplicates ignored); with follow on, the newest is shown. */
    void addAll(Collection<ComputerAction> actions) {
        if (actions.isEmpty()) {
            return;
        }
        Optional<ComputerAction> shown = current();
        for (ComputerAction a : actions) {
            bySeq.putIfAbsent(a.seq(), a);
        }
        // only the newest session's actions form the sequence
        String session = bySeq.lastEntry().getValue().sessionId();
        bySeq.values().removeIf(a -> !a.sessionId().equals(session));
        while (bySeq.size() > MAX_FRAMES) {
            bySeq.pollFirstEntry();
        }
        frames.setAll(bySeq.values());
        if (follow.get() || shown.isEmpty()) {
            index.set(frames.size() - 1);
        } else {
            int at = frames.indexOf(shown.get());
            index.set(at >= 0 ? at : frames.size() - 1);
        }
    }

    void first() {
        go(0);
    }

    void previous() {
        go(index.get() - 1);
    }

    void next() {
        go(index.get() + 1);
    }

    /** The newest frame, following again. */
    void latest() {
        follow.set(true);
        index.set(frames.size() - 1);
    }

    /** Moving to an older frame stops following, so new actions do not snatch it away. */
    private void go(int to) {
        if (frames.isEmpty()) {
            return;
        }
        int clamped = Math.max(0, Math.min(frames.size() - 1, to));
        if (clamped < frames.size() - 1) {
            follow.set(false);
        }
        index.set(clamped);
    }
}
