package dev.runnerdesk.ui;

import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backend that takes 5 s to list runners leaves the FX thread free, and the wait can be cancelled. */
@ExtendWith(ApplicationExtension.class)
class NeverFreezeTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private final CountDownLatch listing = new CountDownLatch(1);

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        app.create();
        app.show(stage, (profile, key) -> UiHarness.slowList(app.service, 5_000, listing::countDown), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aSlowListLeavesTheFxThreadFree(FxRobot robot) throws Exception {
        assertTrue(listing.await(10, TimeUnit.SECONDS), "the list call started");
        Thread.sleep(200); // well inside the 5 s call
        CountDownLatch ran = new CountDownLatch(1);
        long posted = System.nanoTime();
        long[] ranAt = new long[1];
        Platform.runLater(() -> {
            ranAt[0] = System.nanoTime();
            ran.countDown();
        });
        assertTrue(ran.await(2, TimeUnit.SECONDS), "the FX thread ran the posted action");
        long millis = (ranAt[0] - posted) / 1_000_000;
        assertTrue(millis < 100, "a runLater posted during the call ran after " + millis + " ms");

        // the status bar shows the call, which can be cancelled
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> robot.lookup("#status-tasks").queryAs(Label.class).isVisible());
        assertTrue(robot.lookup("#status-tasks").queryAs(Label.class).getText().startsWith("Loading runners"));
        robot.clickOn("#status-task-cancel");
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> !robot.lookup("#runner-list-updating").query().isVisible());
    }
}
