package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.Terminal;

import java.util.function.Consumer;

/**
 * One attempt at opening a shell, which the person may cancel while it runs. The service may not notice the cancel
 * and hand a shell over later: that shell is closed as soon as both have happened, whichever came first, and is
 * never attached. {@code close} ends a shell without blocking the caller (closing may wait on the network).
 */
final class ShellOpening {
    private final Consumer<Terminal> close;
    private Terminal arrived;
    private boolean cancelled;

    ShellOpening(Consumer<Terminal> close) {
        this.close = close;
    }

    /** The service opened {@code shell} (on the worker thread); closed at once when the attempt was cancelled. */
    Terminal arrived(Terminal shell) {
        synchronized (this) {
            if (!cancelled) {
                arrived = shell;
                return shell;
            }
        }
        close.accept(shell);
        return shell;
    }

    /** The person stopped the attempt: a shell already handed over but not yet attached is closed. */
    void cancel() {
        Terminal late;
        synchronized (this) {
            cancelled = true;
            late = arrived;
            arrived = null;
        }
        if (late != null) {
            close.accept(late);
        }
    }

    /** Whether the shell may be attached now: false after a cancel. The caller attaches it at once. */
    synchronized boolean take() {
        if (cancelled) {
            return false;
        }
        arrived = null;
        return true;
    }
}
