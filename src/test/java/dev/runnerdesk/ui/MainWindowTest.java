package dev.runnerdesk.ui;

import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
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
import java.util.concurrent.TimeUnit;

import static dev.runnerdesk.ui.UiHarness.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main window against the real embedded runtime (fake provider), headless. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
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
    void stop(FxRobot robot) {
        robot.interact(() -> UiHarness.windowsWithRoot(robot, "create-runner-dialog").forEach(w -> w.hide()));
        app.close();
    }

    @Test
    void listsTheRunnersOfTheEmbeddedRuntime(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 1);
        Runner shown = table(robot).getItems().get(0).runner();
        assertEquals(RunnerState.READY, shown.state());
        assertTrue(robot.lookup(".state-ready").tryQuery().isPresent(), "a state badge is shown");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> robot.lookup("#status-counts").queryAs(Label.class).getText().equals("1 ready"));
        assertTrue(robot.lookup("#status-role").queryAs(Label.class).getText().contains("admin"));
    }

    @Test
    void aRunnerCreatedThroughTheDialogAppearsInTheServiceAndTheList(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 1);
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !UiHarness.windowsWithRoot(robot, "create-runner-dialog").isEmpty());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> robot.lookup("#create-provider").queryAs(ComboBox.class).getValue() != null);
        @SuppressWarnings("unchecked")
        ComboBox<ToolProfile> profile = robot.lookup("#create-profile").queryAs(ComboBox.class);
        robot.interact(() -> profile.getSelectionModel().select(ToolProfile.WEB_AUTOMATION));
        assertEquals(ToolProfile.WEB_AUTOMATION.description(),
                robot.lookup("#create-profile-description").queryAs(Label.class).getText());

        robot.clickOn("#create-ttl").press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("30");
        assertTrue(robot.lookup("#create-submit").query().isDisabled(), "a TTL under 60 s cannot be submitted");
        assertTrue(robot.lookup("#create-ttl-hint").queryAs(Label.class).getText().contains("between 60 and 86400"));
        robot.write("0");
        assertFalse(robot.lookup("#create-submit").query().isDisabled(), "300 s is fine");

        robot.clickOn("#create-submit");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 2);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> UiHarness.windowsWithRoot(robot, "create-runner-dialog").isEmpty());
        Runner created = app.service.list(RunnerQuery.firstPage()).runners().get(0);
        assertEquals(ToolProfile.WEB_AUTOMATION, created.toolProfile());
        assertEquals(300, created.ttlSeconds());
        assertTrue(table(robot).getItems().stream().anyMatch(r -> r.id().equals(created.runnerId())));
    }

    @Test
    void theLastViewAndTheThemeChoiceAreRememberedInTheSettings(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.COMMA).release(KeyCode.COMMA, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#settings").tryQuery().isPresent());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        assertTrue(robot.lookup("#theme-dark").queryAs(javafx.scene.control.ToggleButton.class).isSelected());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> app.settings.get(UiPreferences.LAST_VIEW).orElse("").equals("settings")
                && app.settings.get(UiPreferences.THEME).orElse("").equals("dark"));
        robot.clickOn("#theme-light");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> app.settings.get(UiPreferences.THEME).orElse("").equals("light"));
    }
}
