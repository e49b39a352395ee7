package dev.runnerdesk.ui.palette;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.table;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command palette in the window: Ctrl+K, typing, arrows, Enter, Esc; runners from the loaded list. */
@ExtendWith(ApplicationExtension.class)
class CommandPaletteTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private Runner ready;
    private Runner ended;
    /** Every call the window makes to the backend. */
    private final AtomicInteger calls = new AtomicInteger();

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        ended = app.create();
        app.service.terminate(ended.runnerId());
        ready = app.create();
        RunnerServiceFactory counted = (profile, key) -> {
            RunnerService real = app.runtime.serviceFor(Principal.localUser());
            return (RunnerService) Proxy.newProxyInstance(RunnerService.class.getClassLoader(), new Class<?>[] {RunnerService.class},
                    (proxy, method, args) -> {
                        calls.incrementAndGet();
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
        app.show(stage, (profile, key) -> profile.kind() == ConnectionProfile.Kind.EMBEDDED ? counted.open(profile, key)
                : app.embeddedOnly().open(profile, key), Clock.systemUTC());
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(() -> {
            windowsWithRoot(robot, "confirm-dialog").forEach(w -> w.hide());
            if (app.window.palette() != null) {
                app.window.palette().hide();
            }
        });
        app.close();
    }

    @Test
    void ctrlKOpensItTypingFindsAViewAndEnterGoesThere(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 2), WAIT, "the runners listed");
        openPalette(robot);
        robot.write("polic");
        Await.until(fx(() -> firstTitle(robot).equals("Policies")), WAIT, () -> "Policies first, not " + firstTitle(robot));
        robot.type(KeyCode.ENTER);
        Await.until(fx(() -> app.window.policies().isActive()), WAIT, "the Policies view shown");
        assertFalse(onFx(() -> app.window.palette().isShowing()), "Enter closed the palette");
    }

    @Test
    void arrowsMoveEscClosesAndTypingCallsNoBackend(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 2), WAIT, "the runners listed");
        openPalette(robot);
        int before = calls.get();
        robot.write(ready.runnerId().substring(7, 13));
        Await.until(fx(() -> firstTitle(robot).equals(ready.runnerId())), WAIT, () -> "the runner first, not " + firstTitle(robot));
        assertEquals(before, calls.get(), "the runners come from the loaded list");
        robot.interact(() -> list(robot).getSelectionModel().select(0));
        robot.type(KeyCode.DOWN);
        int moved = onFx(() -> list(robot).getSelectionModel().getSelectedIndex());
        assertEquals(Math.min(1, onFx(() -> list(robot).getItems().size()) - 1), moved);
        robot.type(KeyCode.UP);
        assertEquals(0, (int) onFx(() -> list(robot).getSelectionModel().getSelectedIndex()));
        robot.type(KeyCode.ESCAPE);
        Await.until(fx(() -> !app.window.palette().isShowing()), WAIT, "Esc closed the palette");
    }

    @Test
    void aRunnersActionsAreOneStepInAndObeyItsState(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 2), WAIT, "the runners listed");
        openPalette(robot);
        // the ended runner: Terminate is there but says why not, and the palette stays open
        robot.write(ended.runnerId());
        Await.until(fx(() -> firstTitle(robot).equals(ended.runnerId())), WAIT, "the ended runner first");
        robot.type(KeyCode.TAB);
        Await.until(fx(() -> node(robot, "#palette-crumb", Label.class).getText().equals(ended.runnerId())), WAIT, "inside the runner");
        robot.write("termin");
        Await.until(fx(() -> firstTitle(robot).equals("Terminate…")), WAIT, () -> "Terminate first, not " + firstTitle(robot));
        robot.type(KeyCode.ENTER);
        Await.until(fx(() -> node(robot, "#palette-status", Label.class).getText().contains("already terminated")), WAIT, "why not");
        assertTrue(onFx(() -> app.window.palette().isShowing()));

        // back out, into the ready runner, and start a session on it
        robot.type(KeyCode.ESCAPE);
        Await.until(fx(() -> node(robot, "#palette-crumb", Label.class).getText().isEmpty()), WAIT, "back at the top");
        robot.write(ready.runnerId());
        Await.until(fx(() -> firstTitle(robot).equals(ready.runnerId())), WAIT, "the ready runner first");
        robot.type(KeyCode.RIGHT);
        robot.write("start");
        Await.until(fx(() -> firstTitle(robot).equals("Start session")), WAIT, () -> "Start session first, not " + firstTitle(robot));
        robot.type(KeyCode.ENTER);
        Await.until(() -> app.service.get(ready.runnerId()).state() == RunnerState.RUNNING, WAIT, "the session started");
        assertEquals(ready.runnerId(), onFx(() -> app.window.runners().selectedRunner().orElseThrow().runnerId()),
                "the runner shown in the list");
    }

    private void openPalette(FxRobot robot) {
        robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
        Await.until(fx(() -> app.window.palette().isShowing()), WAIT, "the palette open");
        Await.until(fx(() -> node(robot, "#palette-field", TextField.class).isFocused()), WAIT, "its field focused");
    }

    @SuppressWarnings("unchecked")
    private static ListView<PaletteItem> list(FxRobot robot) {
        return node(robot, "#palette-list", ListView.class);
    }

    private static String firstTitle(FxRobot robot) {
        return onFx(() -> list(robot).getItems().isEmpty() ? "(nothing)" : list(robot).getItems().get(0).title());
    }
}
