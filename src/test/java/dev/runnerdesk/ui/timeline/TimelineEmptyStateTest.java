package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.TextField;
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

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A filter that matches nothing, or that the service cannot answer, is the table's empty state with Clear filters — never an error notice. */
@ExtendWith(ApplicationExtension.class)
class TimelineEmptyStateTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        app.create();
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aFilterThatMatchesNothingIsAnEmptyStateNotAnError(FxRobot robot) {
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        for (String runner : new String[] {"runner_000000000000", "not a runner id " + "x".repeat(300)}) {
            TextField field = node(robot, "#timeline-runner", TextField.class);
            robot.interact(() -> field.setText(runner));
            Await.until(fx(() -> text(robot, "#timeline-empty").startsWith("No events match runner")), WAIT,
                    "the empty state for " + runner.substring(0, 19));
            Hyperlink clear = node(robot, "#timeline-empty-clear", Hyperlink.class);
            assertTrue(onFx(clear::isVisible), "Clear filters offered");
            assertTrue(onFx(() -> app.window.notifier().history().stream().noneMatch(h -> h.startsWith("error:"))),
                    "no error notice: " + onFx(() -> app.window.notifier().history()));
            robot.interact(clear::fire);
            Await.until(fx(() -> field.getText().isEmpty()), WAIT, "the filter cleared");
        }
    }
}
