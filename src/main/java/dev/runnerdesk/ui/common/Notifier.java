package dev.runnerdesk.ui.common;

import dev.runnerdesk.core.RunnerException;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.util.concurrent.CancellationException;

/**
 * Non-modal notices (ControlsFX) for finished long operations and for background failures: a failure
 * in the background never opens a dialog. The last messages are kept ({@link #history()}: tests read what was said).
 */
public final class Notifier {
    private static final int KEEP = 50;
    private final ObservableList<String> history = FXCollections.observableArrayList();
    private Window owner;
    private boolean dark;

    public void setOwner(Window owner) {
        this.owner = owner;
    }

    public void setDark(boolean dark) {
        this.dark = dark;
    }

    public void info(String title, String text) {
        show(title, text, false);
    }

    public void error(String title, String text) {
        show(title, text, true);
    }

    /** A failure with the message the service wrote for people. */
    public void error(String title, Throwable e) {
        if (e instanceof CancellationException) {
            info("Cancelled", title);
            return;
        }
        error(title, describe(e));
    }

    /** What to tell a person about a failure. */
    public static String describe(Throwable e) {
        if (e instanceof RunnerException) {
            return e.getMessage();
        }
        if (e instanceof InterruptedException) {
            return "cancelled";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    public ObservableList<String> history() {
        return history;
    }

    private void show(String title, String text, boolean error) {
        history.add((error ? "error: " : "") + title + ": " + text);
        if (history.size() > KEEP) {
            history.remove(0, history.size() - KEEP);
        }
        if (owner == null || !owner.isShowing()) {
            return;
        }
        Notifications n = Notifications.create().owner(owner).title(title).text(text)
                .position(Pos.BOTTOM_RIGHT).hideAfter(Duration.seconds(error ? 8 : 4));
        if (dark) {
            n.darkStyle();
        }
        if (error) {
            n.showError();
        } else {
            n.showInformation();
        }
    }
}
