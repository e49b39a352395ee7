package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.MenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.table;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A runner row's actions: its menu (mouse and keyboard), its hover buttons and its keys, enabled by state. */
@ExtendWith(ApplicationExtension.class)
class RunnerRowActionsTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private Runner ready;
    private Runner ended;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        ended = app.create();
        app.service.terminate(ended.runnerId());
        ready = app.create();
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(() -> windowsWithRoot(robot, "confirm-dialog").forEach(w -> w.hide()));
        app.close();
    }

    @Test
    void shiftF10OpensTheFocusedRowsMenuWithItsKeysAndItsItemsAct(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 2), WAIT, "the two runners listed");
        robot.clickOn(ready.runnerId());
        robot.press(KeyCode.SHIFT, KeyCode.F10).release(KeyCode.F10, KeyCode.SHIFT);
        ContextMenu menu = menu(robot);
        assertEquals(List.of("Open terminal", "Start session", "Stop session — no active session", "Copy id", "Open timeline",
                "Terminate…"), onFx(() -> menu.getItems().stream().map(MenuItem::getText).filter(t -> t != null).toList()));
        assertEquals(RunnerListRowMenu.TERMINAL, onFx(() -> item(menu, "terminal").getAccelerator()), "its key is listed");
        assertTrue(onFx(() -> item(menu, "stop").isDisable()), "no session to stop");
        robot.interact(() -> item(menu, "start").fire());
        Await.until(() -> app.service.get(ready.runnerId()).state() == RunnerState.RUNNING, WAIT, "the session started");
        robot.interact(menu::hide);

        // the ended runner: its menu offers only what can still be done
        robot.clickOn(ended.runnerId());
        robot.press(KeyCode.SHIFT, KeyCode.F10).release(KeyCode.F10, KeyCode.SHIFT);
        ContextMenu again = menu(robot);
        Await.until(fx(() -> item(again, "terminate").isDisable() && item(again, "terminal").isDisable()
                && !item(again, "copy-id").isDisable()), WAIT, "terminate and terminal disabled, copy enabled");
        assertTrue(onFx(() -> item(again, "terminate").getText()).contains("already terminated"));
        robot.interact(again::hide);
    }

    @Test
    void aClickOnAnIdSelectsTheRowAndLeavesTheClipboardAloneCtrlCCopies(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 2), WAIT, "the two runners listed");
        robot.interact(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putString("what the person copied before");
            Clipboard.getSystemClipboard().setContent(content);
        });
        robot.clickOn(ready.runnerId());
        Await.until(fx(() -> table(robot).getSelectionModel().getSelectedItems().size() == 1), WAIT, "the row selected");
        assertEquals("what the person copied before", onFx(() -> Clipboard.getSystemClipboard().getString()));
        robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        Await.until(fx(() -> ready.runnerId().equals(Clipboard.getSystemClipboard().getString())), WAIT, "Ctrl+C copied the id");
    }

    @Test
    void theHoverButtonsStartAndStopASession(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 2), WAIT, "the two runners listed");
        // what is typed is not what this test is about: the filter is set as typing would leave it
        TextField filter = node(robot, "#runner-filter", TextField.class);
        robot.interact(() -> filter.setText(ready.runnerId()));
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "only the ready runner");
        Button start = node(robot, "#row-start", Button.class);
        assertFalse(onFx(start::isDisabled));
        assertEquals("Start session", onFx(start::getAccessibleText), "an accessible name on an icon button");
        robot.clickOn(start);
        Await.until(() -> app.service.get(ready.runnerId()).state() == RunnerState.RUNNING, WAIT, "the session started");
        Button stop = node(robot, "#row-stop", Button.class);
        robot.clickOn(stop);
        Await.until(fx(() -> windowsWithRoot(robot, "confirm-dialog").size() == 1), WAIT, "the confirmation");
        click(robot, "#confirm-ok");
        Await.until(() -> app.service.get(ready.runnerId()).state() == RunnerState.READY, WAIT, "the session stopped");
    }

    @Test
    void enterAndADoubleClickOpenTheTerminalThroughTheListsHook(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 2), WAIT, "the two runners listed");
        List<String> opened = new CopyOnWriteArrayList<>();
        robot.interact(() -> app.window.runners().setOnOpenTerminal(r -> opened.add(r.runnerId())));
        robot.clickOn(ready.runnerId());
        robot.type(KeyCode.ENTER);
        Await.until(() -> opened.equals(List.of(ready.runnerId())), WAIT, "Enter opened the terminal");
        robot.doubleClickOn(ready.runnerId());
        Await.until(() -> opened.size() == 2, WAIT, "a double click opened it too");
        // the ended runner has none: Enter says why in the header instead
        robot.clickOn(ended.runnerId());
        robot.type(KeyCode.ENTER);
        Await.until(fx(() -> node(robot, "#runner-list-flash", Label.class).getText().contains("has ended")),
                WAIT, "the reason shown");
        assertEquals(2, opened.size());
        assertEquals(Optional.of(ended.runnerId()), onFx(() -> app.window.runners().selectedRunner().map(Runner::runnerId)));
    }

    private static ContextMenu menu(FxRobot robot) {
        Await.until(fx(() -> robot.listWindows().stream().anyMatch(w -> w instanceof ContextMenu c && c.isShowing()
                && "runner-row-menu".equals(c.getId()))), WAIT, "the row menu shown");
        return onFx(() -> (ContextMenu) robot.listWindows().stream().filter(w -> w instanceof ContextMenu c && c.isShowing()
                && "runner-row-menu".equals(c.getId())).findFirst().orElseThrow());
    }

    private static MenuItem item(ContextMenu menu, String action) {
        return menu.getItems().stream().filter(i -> ("row-menu-" + action).equals(i.getId())).findFirst().orElseThrow();
    }
}
