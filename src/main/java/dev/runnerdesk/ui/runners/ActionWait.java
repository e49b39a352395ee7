package dev.runnerdesk.ui.runners;

import dev.runnerdesk.ui.common.WaitIndicator;

/**
 * The runner actions' wait above the list: the newest action that still runs says what it waits for ("Waiting for
 * gateway.example.com to stop the session of r-1… 4 s") with Cancel. An older action that ends or is cancelled while a
 * newer one is shown leaves the newer one's line alone. Used on the FX thread.
 */
final class ActionWait {
    private final WaitIndicator wait;
    private Ticket current;

    ActionWait(WaitIndicator wait) {
        this.wait = wait;
    }

    /** One action's place in the wait; its Cancel runs {@link #onCancel}, set once the action's task is submitted. */
    static final class Ticket {
        Runnable onCancel = () -> { };
    }

    Ticket start(String waitingFor) {
        Ticket ticket = new Ticket();
        current = ticket;
        wait.start(waitingFor, () -> ticket.onCancel.run());
        return ticket;
    }

    /** The action ended (its result or error is said elsewhere). */
    void done(Ticket ticket) {
        if (ticket == current) {
            current = null;
            wait.done();
        }
    }

    /** The action was cancelled: {@code text} stays in view when it is the one shown; false when a newer one is. */
    boolean say(Ticket ticket, String text) {
        if (ticket != current) {
            return false;
        }
        current = null;
        wait.say(text);
        return true;
    }
}
