package dev.runnerdesk.ui.common;

import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;

import java.time.Instant;
import java.util.Objects;

/** A task of the {@link TaskExecutor} while it runs: what it does, how far it got, and how to cancel it. */
public final class RunningTask {
    private final String description;
    private final Instant started;
    private final TaskExecutor.Cancellable cancel;
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(-1);

    RunningTask(String description, Instant started, TaskExecutor.Cancellable cancel) {
        this.description = Objects.requireNonNull(description);
        this.started = started;
        this.cancel = cancel;
    }

    public String description() {
        return description;
    }

    public Instant started() {
        return started;
    }

    /** 0..1, or -1 while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    void setProgress(double value) {
        progress.set(value);
    }

    public void cancel() {
        cancel.cancel();
    }
}
