package dev.runnerdesk.ui.common;

import atlantafx.base.controls.Notification;
import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.RunnerException;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Node;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

/**
 * Non-modal notices for finished long operations and for background failures (a failure in the background never
 * opens a dialog): AtlantaFX notifications stacked in a layer over the window's content, never wider than the window,
 * at most {@link #SHOWN} at once; information goes away by itself, an error stays until closed. Everything said is
 * kept in {@link #entries()}, the notification centre's history.
 */
public final class Notifier {
    /** A notice as the history keeps it. */
    public record Entry(Instant time, Level level, String title, String text) {
        /** One line, as {@link #history()} and the centre's accessible text say it. */
        public String line() {
            return (level == Level.ERROR ? "error: " : "") + title + ": " + text;
        }
    }

    public enum Level { INFO, ERROR }

    static final int KEEP = 200;
    /** Notices shown at once; an older one goes (it stays in the history). */
    static final int SHOWN = 3;
    /** The widest a notice gets; in a narrow window, the window's width less the margins. */
    static final double MAX_WIDTH = 420;
    /** Longer texts are cut in the notice (the history keeps them whole). */
    private static final int SHOWN_CHARS = 280;
    private static final double MARGIN = 16;
    private static final Duration INFO_FOR = Duration.seconds(5);

    /** A Java class name (qualified, an exception's, or a service error's) that a message starts with. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:(?:[a-z][a-z0-9_]*\\.)+[A-Z][\\w$]*|[A-Z]\\w*(?:Exception|Error)"
            + "|NotFound|BetaNotEnabled|Unauthorized|Forbidden|PolicyDenied|RateLimited|InvalidRequest|Conflict|Unavailable): ");
    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ObservableList<String> history = FXCollections.observableArrayList();
    private final IntegerProperty unread = new SimpleIntegerProperty();
    private final Clock clock;
    private final StackPane layer = new StackPane();
    private final VBox stack = new VBox(8);

    public Notifier() {
        this(Clock.systemDefaultZone());
    }

    public Notifier(Clock clock) {
        this.clock = clock;
        layer.setId("notification-layer");
        layer.setPickOnBounds(false);
        layer.setPadding(new Insets(MARGIN));
        stack.setId("notifications");
        stack.setAlignment(Pos.BOTTOM_RIGHT);
        stack.setPickOnBounds(false);
        stack.setFillWidth(false);
        StackPane.setAlignment(stack, Pos.BOTTOM_RIGHT);
        layer.getChildren().add(stack);
    }

    /** The layer the notices appear in: the window lays it over its content. */
    public StackPane layer() {
        return layer;
    }

    public void info(String title, String text) {
        show(Level.INFO, title, text);
    }

    public void error(String title, String text) {
        show(Level.ERROR, title, text);
    }

    /** A failure with the message the service wrote for people. */
    public void error(String title, Throwable e) {
        if (e instanceof CancellationException) {
            info("Cancelled", title);
            return;
        }
        error(title, describe(e));
    }

    /**
     * What to tell a person about a failure: the service's message, never a Java class name (a failure with no
     * message of its own is said generically).
     */
    public static String describe(Throwable e) {
        if (e instanceof InterruptedException || e instanceof CancellationException) {
            return "cancelled";
        }
        Throwable cause = e;
        while ((cause.getMessage() == null || cause.getMessage().isBlank()) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof RunnerException ? "the service gave no reason" : "something went wrong (no details)";
        }
        return withoutClassName(message.strip());
    }

    /** "InvalidRequest: ttl too long" or "java.io.IOException: gone" → the part after the name. */
    static String withoutClassName(String message) {
        return CLASS_PREFIX.matcher(message).replaceFirst("");
    }

    /** The last notices, one line each ("error: title: text" for errors): tests read what was said. */
    public ObservableList<String> history() {
        return history;
    }

    /** The last {@value #KEEP} notices, oldest first. */
    public ObservableList<Entry> entries() {
        return entries;
    }

    /** Notices since the history was last opened. */
    public ReadOnlyIntegerProperty unreadProperty() {
        return unread;
    }

    public void markRead() {
        unread.set(0);
    }

    public void clear() {
        entries.clear();
        history.clear();
        unread.set(0);
        stack.getChildren().clear();
    }

    private void show(Level level, String title, String text) {
        Entry entry = new Entry(clock.instant(), level, title, text == null ? "" : text);
        entries.add(entry);
        history.add(entry.line());
        if (entries.size() > KEEP) {
            entries.remove(0, entries.size() - KEEP);
            history.remove(0, history.size() - KEEP);
        }
        unread.set(unread.get() + 1);
        if (layer.getScene() != null) {
            toast(entry);
        }
    }

    private void toast(Entry entry) {
        boolean error = entry.level() == Level.ERROR;
        String text = entry.text().length() > SHOWN_CHARS ? entry.text().substring(0, SHOWN_CHARS - 1) + "…" : entry.text();
        FontIcon icon = new FontIcon(error ? Feather.ALERT_OCTAGON : Feather.INFO);
        Notification n = new Notification(entry.title() + (text.isEmpty() ? "" : "\n" + text), icon);
        n.getStyleClass().addAll("app-notification", error ? Styles.DANGER : Styles.ACCENT, Styles.ELEVATED_1);
        n.setId(error ? "notification-error" : "notification-info");
        n.setAccessibleRole(AccessibleRole.TEXT);
        n.setAccessibleText((error ? "Error: " : "") + entry.title() + ". " + text);
        var width = Bindings.min(MAX_WIDTH, layer.widthProperty().subtract(2 * MARGIN));
        n.prefWidthProperty().bind(width);
        n.maxWidthProperty().bind(width);
        n.setMinWidth(0);
        n.setOnClose(e -> stack.getChildren().remove(n));
        // the close mark is a pane inside the control's skin: name it for screen readers once the skin has made it
        // (keyboard users dismiss notices by opening the notification centre, Ctrl/⌘+Shift+N, where they all are)
        n.skinProperty().addListener((o, was, skin) -> {
            Node close = n.lookup(".close-button");
            if (close != null) {
                close.setAccessibleRole(AccessibleRole.BUTTON);
                close.setAccessibleText("Dismiss this notice");
            }
        });
        stack.getChildren().add(n);
        while (stack.getChildren().size() > SHOWN) {
            stack.getChildren().remove(0);
        }
        if (!error) {
            PauseTransition hide = new PauseTransition(INFO_FOR);
            hide.setOnFinished(e -> stack.getChildren().remove(n));
            hide.play();
        }
    }

    /** The notices on screen now (tests). */
    public ObservableList<Node> shown() {
        return stack.getChildren();
    }
}
