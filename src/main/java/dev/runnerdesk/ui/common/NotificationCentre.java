package dev.runnerdesk.ui.common;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The notification centre: a bell with the count of notices not yet seen (for the status bar), opening the history of
 * what the {@link Notifier} said — time, level, text, newest first — with Clear all. The panel lies in the notifier's
 * layer over the content; Escape or the bell closes it.
 */
public final class NotificationCentre {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private final Notifier notifier;
    private final Button bell = new Button();
    private final VBox panel = new VBox(8);
    private final ListView<Notifier.Entry> list = new ListView<>();
    private final ZoneId zone;

    public NotificationCentre(Notifier notifier, ZoneId zone) {
        this.notifier = notifier;
        this.zone = zone;
        bell.setId("notification-bell");
        bell.setGraphic(new FontIcon(Feather.BELL));
        bell.getStyleClass().addAll(Styles.FLAT, Styles.SMALL, "notification-bell");
        bell.textProperty().bind(Bindings.createStringBinding(() -> notifier.unreadProperty().get() == 0 ? ""
                : String.valueOf(notifier.unreadProperty().get()), notifier.unreadProperty()));
        bell.accessibleTextProperty().bind(Bindings.createStringBinding(() -> "Notifications, "
                + notifier.unreadProperty().get() + " new", notifier.unreadProperty()));
        bell.setTooltip(new Tooltip("Notifications: what RunnerDesk told you this run"));
        bell.setOnAction(e -> toggle());

        Label title = new Label("Notifications");
        title.getStyleClass().add(Styles.TITLE_4);
        Button clear = new Button("Clear all", new FontIcon(Feather.TRASH_2));
        clear.setId("notification-clear");
        clear.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        clear.disableProperty().bind(Bindings.isEmpty(notifier.entries()));
        clear.setOnAction(e -> notifier.clear());
        Button close = new Button("", new FontIcon(Feather.X));
        close.setId("notification-centre-close");
        close.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        close.setAccessibleText("Close notifications");
        close.setTooltip(new Tooltip("Close (Escape)"));
        close.setOnAction(e -> hide());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox header = new HBox(8, title, gap, clear, close);
        header.setAlignment(Pos.CENTER_LEFT);

        list.setId("notification-history");
        list.setAccessibleText("Notification history, newest first");
        list.setItems(notifier.entries().sorted((a, b) -> b.time().compareTo(a.time())));
        list.setCellFactory(v -> new EntryCell());
        list.setPlaceholder(new Label("No notifications yet."));
        list.setPrefHeight(260);
        VBox.setVgrow(list, Priority.ALWAYS);

        panel.setId("notification-centre");
        panel.getStyleClass().add("notification-centre");
        panel.setAccessibleRole(AccessibleRole.NODE);
        panel.setPadding(new Insets(10));
        panel.getChildren().addAll(header, list);
        panel.setMaxWidth(Notifier.MAX_WIDTH);
        panel.setMaxHeight(380);
        panel.setVisible(false);
        // a filter, not a handler: the history list (which has the focus when the panel opens) eats Escape itself
        panel.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                hide();
                e.consume();
            }
        });
        StackPane.setAlignment(panel, Pos.BOTTOM_RIGHT);
        notifier.layer().getChildren().add(panel);
    }

    /** The status bar's bell. */
    public Button bell() {
        return bell;
    }

    public boolean isShowing() {
        return panel.isVisible();
    }

    public void toggle() {
        if (isShowing()) {
            hide();
        } else {
            show();
        }
    }

    public void show() {
        notifier.shown().clear(); // they are all in the history
        panel.setVisible(true);
        notifier.markRead();
        list.scrollTo(0);
        list.requestFocus();
    }

    public void hide() {
        panel.setVisible(false);
        notifier.markRead();
        bell.requestFocus();
    }

    private final class EntryCell extends ListCell<Notifier.Entry> {
        @Override
        protected void updateItem(Notifier.Entry entry, boolean empty) {
            super.updateItem(entry, empty);
            if (empty || entry == null) {
                setGraphic(null);
                setText(null);
                setAccessibleText(null);
                return;
            }
            boolean error = entry.level() == Notifier.Level.ERROR;
            FontIcon icon = new FontIcon(error ? Feather.ALERT_OCTAGON : Feather.INFO);
            icon.getStyleClass().add(error ? "notification-icon-error" : "notification-icon-info");
            Label time = new Label(TIME.format(entry.time().atZone(zone)));
            time.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL, "monospace");
            time.setMinWidth(Region.USE_PREF_SIZE);
            // Text, not Label: a wrapped Text reports its whole height to the cell (a Label would be cut to one line)
            Text title = new Text(entry.title());
            title.getStyleClass().addAll("notification-entry-text", "notification-entry-title");
            Text text = new Text(entry.text());
            text.getStyleClass().add("notification-entry-text");
            for (Text t : new Text[] {title, text}) {
                t.wrappingWidthProperty().bind(getListView().widthProperty().subtract(124));
            }
            VBox words = new VBox(2, title, text);
            words.setMinWidth(0);
            HBox line = new HBox(8, icon, time, words);
            line.setMinWidth(0);
            setPrefWidth(0);
            setText(null);
            setGraphic(line);
            setAccessibleText(time.getText() + " " + (error ? "error: " : "") + entry.title() + ". " + entry.text());
        }
    }
}
