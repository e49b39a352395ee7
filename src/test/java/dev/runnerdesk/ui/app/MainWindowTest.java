package dev.runnerdesk.ui.app;

import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ToggleButton;
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

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.table;
import static dev.runnerdesk.ui.UiHarness.text;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
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
        robot.interact(() -> windowsWithRoot(robot, "create-runner-dialog").forEach(w -> w.hide()));
        app.close();
    }

    @Test
    void listsTheRunnersOfTheEmbeddedRuntime(FxRobot robot) throws Exception {
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the one runner listed");
        Runner shown = table(robot).getItems().get(0).runner();
        assertEquals(RunnerState.READY, shown.state());
        node(robot, ".state-ready", Node.class); // a state badge is shown
        Await.until(fx(() -> text(robot, "#status-counts").equals("1 ready")), WAIT, "\"1 ready\" in the status bar");
        assertTrue(text(robot, "#status-role").contains("admin"));
    }

    @Test
    void aRunnerCreatedThroughTheDialogAppearsInTheServiceAndTheList(FxRobot robot) throws Exception {
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the one runner listed");
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        Await.until(fx(() -> !windowsWithRoot(robot, "create-runner-dialog").isEmpty()), WAIT, "the create dialog");
        Await.until(fx(() -> node(robot, "#create-provider", ComboBox.class).getValue() != null), WAIT, "a provider chosen");
        @SuppressWarnings("unchecked")
        ComboBox<ToolProfile> profile = node(robot, "#create-profile", ComboBox.class);
        robot.interact(() -> profile.getSelectionModel().select(ToolProfile.WEB_AUTOMATION));
        assertEquals(ToolProfile.WEB_AUTOMATION.description(),
                text(robot, "#create-profile-description"));

        click(robot, "#create-ttl").press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("30");
        assertTrue(node(robot, "#create-submit", Node.class).isDisabled(), "a TTL under 60 s cannot be submitted");
        assertTrue(text(robot, "#create-ttl-hint").contains("between 60 and 86,400 seconds"));
        robot.write("0");
        assertFalse(node(robot, "#create-submit", Node.class).isDisabled(), "300 s is fine");

        click(robot, "#create-submit");
        Await.until(fx(() -> table(robot).getItems().size() == 2), WAIT, "the new runner listed");
        Await.until(fx(() -> windowsWithRoot(robot, "create-runner-dialog").isEmpty()), WAIT, "the dialog closed");
        Runner created = app.service.list(RunnerQuery.firstPage()).runners().get(0);
        assertEquals(ToolProfile.WEB_AUTOMATION, created.toolProfile());
        assertEquals(300, created.ttlSeconds());
        assertTrue(table(robot).getItems().stream().anyMatch(r -> r.id().equals(created.runnerId())));
    }

    @Test
    void theLastViewAndTheThemeChoiceAreRememberedInTheSettings(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.COMMA).release(KeyCode.COMMA, KeyCode.CONTROL);
        node(robot, "#settings", Node.class);
        assertTrue(onFx(() -> app.window.settings().isActive() && !app.window.runners().isActive()),
                "the view shown is active, the one left is not");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        assertTrue(node(robot, "#theme-dark", ToggleButton.class).isSelected());
        Await.until(fx(() -> app.settings.get(UiPreferences.LAST_VIEW).orElse("").equals("settings")
                && app.settings.get(UiPreferences.THEME).orElse("").equals("dark")), WAIT, "last view and theme saved");
        click(robot, "#theme-light");
        Await.until(fx(() -> app.settings.get(UiPreferences.THEME).orElse("").equals("light")), WAIT, "the light theme saved");
    }
}
