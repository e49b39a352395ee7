package dev.runnerdesk.ui.files;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upload or download in the Files tab's transfers list: what it moves, how far it got, and its Cancel. The
 * properties are changed on the FX thread; {@link #cancel} may be called from anywhere and is seen by the worker at its
 * next read or write (and its thread is interrupted, so a stream that waits on the network stops too).
 */
public final class Transfer {
    /** Which way the bytes go. */
    public enum Direction { UPLOAD, DOWNLOAD }

    final Direction direction;
    final String name;
    /** 0..1, or -1 while the size is not known yet. */
    final DoubleProperty progress = new SimpleDoubleProperty(-1);
    /** What it does now, or how it ended, in plain words ("12.0 MiB of 40.0 MiB", "Cancelled", "Done"). */
    final StringProperty state = new SimpleStringProperty("Waiting…");
    /** True once it ended, whichever way; Cancel is then hidden. */
    final BooleanProperty finished = new SimpleBooleanProperty();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Thread worker;

    Transfer(Direction direction, String name) {
        this.direction = direction;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Direction direction() {
        return direction;
    }

    public String state() {
        return state.get();
    }

    public boolean isFinished() {
        return finished.get();
    }

    /** Stops the transfer: its stream fails at the next read or write, and the worker cleans up what it left. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            Thread t = worker;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** The worker thread starts (or stops, with null) moving the bytes: a cancel interrupts it. */
    void runningOn(Thread thread) {
        worker = thread;
        if (thread != null && cancelled.get()) {
            thread.interrupt();
        }
    }

    /** Throws when the transfer was cancelled: called by the streams before each chunk. */
    void check() throws IOException {
        if (cancelled.get()) {
            throw new InterruptedIOException("the transfer of " + name + " was cancelled");
        }
    }
}
