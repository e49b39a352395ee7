package dev.runnerdesk.ui.app;

import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.common.UiPreferences;
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
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The status bar counts the runners from the start, whichever view the window opens on. */
@ExtendWith(ApplicationExtension.class)
class StatusBarTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        app.create();
        app.create();
        app.settings.put(UiPreferences.LAST_VIEW, "settings");
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void runnersAreCountedBeforeTheRunnersViewIsOpened(FxRobot robot) {
        Await.until(fx(() -> text(robot, "#status-counts").equals("2 ready")), WAIT, "\"2 ready\" in the status bar");
        assertFalse(onFx(() -> app.window.runners().model().loadedProperty().get()), "the Runners view was never opened");
    }
}
