package dev.runnerdesk.ui;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.ui.terminal.TerminalHolder;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's terminal in the runner detail, in the whole app: exec mode on fake, a shell on local. */
@ExtendWith(ApplicationExtension.class)
class SessionTerminalTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(EmbeddedRuntimes.open(dataDir.resolve("t" + System.nanoTime())));
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private TerminalHolder openTerminalOf(FxRobot robot, ProviderType provider, ToolProfile profile) throws Exception {
        Runner r = app.service.create(new CreateRunnerRequest(provider, profile, 600));
        Session s = app.service.startSession(r.runnerId(), Optional.empty());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> UiHarness.table(robot).getItems().stream().anyMatch(row -> row.runner().runnerId().equals(r.runnerId())
                        && row.runner().activeSession().isPresent()));
        robot.interact(() -> app.window.runners().select(r.runnerId()));
        robot.clickOn("#session-tab-" + s.sessionId());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#terminal-holder").tryQuery().isPresent());
        TerminalHolder holder = robot.lookup("#terminal-holder").query();
        robot.clickOn(holder.terminal().focusTarget());
        return holder;
    }

    private static void await(TerminalHolder holder, String text) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> holder.terminal().text().contains(text));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("\"" + text + "\" never appeared:\n" + holder.terminal().text(), e);
        }
    }

    @Test
    void aFakeRunnersSessionRunsCommandsInExecModeAndRecallsThem(FxRobot robot) throws Exception {
        TerminalHolder holder = openTerminalOf(robot, ProviderType.FAKE, ToolProfile.LOCKED);
        await(holder, "exec$");
        robot.write("echo hi");
        robot.type(KeyCode.ENTER);
        await(holder, "fake output");
        robot.type(KeyCode.UP);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> holder.terminal().text().stripTrailing().endsWith("$ echo hi"));

        // navigate away and back: the same terminal, scrollback and all
        robot.clickOn("#nav-settings");
        robot.clickOn("#nav-runners");
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#terminal-holder").tryQuery().isPresent());
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder seen = new StringBuilder();
            robot.interact(() -> robot.lookup(".tab-pane").queryAll().forEach(t -> seen.append(((javafx.scene.control.TabPane) t)
                    .getTabs().stream().map(javafx.scene.control.Tab::getId).toList()).append(" selected ")
                    .append(((javafx.scene.control.TabPane) t).getSelectionModel().getSelectedItem().getId()).append('\n')));
            throw new AssertionError("no terminal after coming back; selected rows "
                    + UiHarness.table(robot).getSelectionModel().getSelectedItems() + ", tabs:\n" + seen, e);
        }
        TerminalHolder again = robot.lookup("#terminal-holder").query();
        assertSame(holder.terminal(), again.terminal());
        assertTrue(again.terminal().text().contains("fake output"));
    }

    @Test
    void aLocalRunnersSessionIsARealShellThatPopsOutAndBack(FxRobot robot) throws Exception {
        Sandboxes.require(app.service);
        TerminalHolder holder = openTerminalOf(robot, ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS);
        await(holder, "runner");
        robot.write("echo hi-$((1+1))");
        robot.type(KeyCode.ENTER);
        await(holder, "hi-2");

        robot.clickOn("#terminal-pop-out");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, holder::isPoppedOut);
        // the popped-out window covers the main one here (no window manager): press the button directly
        javafx.scene.control.Button back = robot.lookup("#terminal-bring-back").queryButton();
        robot.interact(back::fire);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !holder.isPoppedOut());
        assertTrue(holder.terminal().text().contains("hi-2"), "the scrollback came back with it");
        assertFalse(holder.getChildren().isEmpty());
    }
}
