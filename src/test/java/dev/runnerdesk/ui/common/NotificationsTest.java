package dev.runnerdesk.ui.common;

import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notices in a small window: themed, inside the window however long the text, kept in the notification centre. */
@ExtendWith(ApplicationExtension.class)
class NotificationsTest {
    private static final String LONG = "No events match type command.timed_out, runner runner_0123456789ab, text "
            + "\"" + "averyveryverylongsearchtextwithoutanyspaceinitatall".repeat(6) + "\" — " + "and more words ".repeat(20);
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private Stage stage;
    /** What JavaFX logged at WARNING or worse (CSS problems are logged, never thrown). */
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue() && r.getLoggerName() != null
                    && r.getLoggerName().startsWith("javafx")) {
                warnings.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Logger.getLogger("").addHandler(recorder);
        app = new UiHarness(dataDir);
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
        stage.setWidth(800);
        stage.setHeight(600);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(recorder);
        app.close();
    }

    @Test
    void aLongErrorStaysInsideTheWindowAndGoesToTheHistory(FxRobot robot) {
        Notifier notifier = app.window.notifier();
        robot.interact(() -> notifier.error("Cannot load events", LONG));
        Node shown = node(robot, "#notification-error", Node.class);
        Await.until(fx(() -> shown.getLayoutBounds().getHeight() > 0), WAIT, "the notice laid out");
        Bounds inScene = onFx(() -> shown.localToScene(shown.getBoundsInLocal()));
        double width = onFx(() -> stage.getScene().getWidth());
        double height = onFx(() -> stage.getScene().getHeight());
        assertTrue(inScene.getMinX() >= 0 && inScene.getMaxX() <= width, "inside the window's width: " + inScene + " in " + width);
        assertTrue(inScene.getMinY() >= 0 && inScene.getMaxY() <= height, "inside the window's height: " + inScene + " in " + height);
        double laidOut = onFx(() -> shown.getLayoutBounds().getWidth());
        assertTrue(laidOut <= Notifier.MAX_WIDTH, "bounded width: " + laidOut);
        assertEquals("Dismiss this notice", onFx(() -> shown.lookup(".close-button").getAccessibleText()),
                "the close mark has a name for screen readers");

        // by keyboard: Ctrl/⌘+Shift+N opens the centre, where the notice is, and takes it off the screen
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.N).release(KeyCode.N, KeyCode.SHIFT, KeyCode.CONTROL);
        Await.until(fx(() -> app.window.notificationCentre().isShowing()), WAIT, "the centre opened by its key");
        robot.type(KeyCode.ESCAPE);
        Await.until(fx(() -> !app.window.notificationCentre().isShowing()), WAIT, "Escape closes it");
        robot.interact(() -> notifier.error("Cannot load events", LONG));
        Await.until(fx(() -> notifier.shown().size() == 1), WAIT, "the notice shown again");

        Button bell = node(robot, "#notification-bell", Button.class);
        assertEquals("1", onFx(bell::getText), "one notice not seen yet");
        robot.clickOn(bell);
        @SuppressWarnings("unchecked")
        ListView<Notifier.Entry> history = node(robot, "#notification-history", ListView.class);
        Await.until(fx(() -> history.getItems().size() == 2), WAIT, "both notices in the history, newest first");
        Notifier.Entry entry = onFx(() -> history.getItems().get(0));
        assertEquals(Notifier.Level.ERROR, entry.level());
        assertEquals(LONG, entry.text(), "the history keeps the whole text");
        assertEquals("", onFx(bell::getText), "opening the history marks it read");
        assertTrue(onFx(() -> notifier.shown().isEmpty()), "the notices on screen go when the history opens");
        Bounds panel = onFx(() -> history.localToScene(history.getBoundsInLocal()));
        assertTrue(panel.getMaxX() <= width && panel.getMinX() >= 0, "the history fits the window: " + panel);

        robot.clickOn("#notification-clear");
        Await.until(fx(() -> history.getItems().isEmpty()), WAIT, "the history cleared");
        robot.type(KeyCode.ESCAPE);
        Await.until(fx(() -> !app.window.notificationCentre().isShowing()), WAIT, "Escape closes the history");
        assertTrue(warnings.isEmpty(), "JavaFX logged: " + warnings.stream().map(r -> r.getLoggerName() + ": "
                + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown())).toList());
    }

    @Test
    void informationGoesAwayByItselfErrorsStayAndAtMostThreeShow(FxRobot robot) {
        Notifier notifier = app.window.notifier();
        robot.interact(() -> notifier.info("Export finished", "2 events"));
        node(robot, "#notification-info", Node.class);
        robot.interact(() -> {
            for (int i = 1; i <= 4; i++) {
                notifier.error("Failure " + i, "reason " + i);
            }
        });
        assertEquals(Notifier.SHOWN, (int) onFx(() -> notifier.shown().size()), "at most three at once");
        assertEquals(5, (int) onFx(() -> notifier.entries().size()), "all five in the history");
        Await.until(fx(() -> notifier.shown().size() == Notifier.SHOWN
                && notifier.shown().stream().allMatch(n -> "notification-error".equals(n.getId()))), WAIT,
                "the errors stay");
        robot.interact(() -> notifier.info("Saved", "done"));
        Await.until(fx(() -> notifier.shown().stream().noneMatch(n -> "notification-info".equals(n.getId()))),
                WAIT, "the information notice gone by itself");
        assertFalse(onFx(() -> notifier.shown().isEmpty()), "the errors are still shown");
    }
}
