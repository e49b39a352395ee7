package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.testutil.TerminalScreen;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.ui.UiHarness;
import javafx.scene.control.Button;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
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
import java.time.Duration;
import java.util.Optional;

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's terminal in the Sessions drawer, in the whole app: exec mode on fake, a shell on local. */
@ExtendWith(ApplicationExtension.class)
class SessionTerminalTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
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
        Await.until(fx(() -> UiHarness.table(robot).getItems().stream().anyMatch(row -> row.runner().runnerId().equals(r.runnerId())
                        && row.runner().activeSession().isPresent())), WAIT, "the runner listed with its session");
        robot.interact(() -> app.window.runners().select(r.runnerId()));
        click(robot, "#detail-open-terminal");
        TerminalHolder holder = node(robot, "#terminal-holder", TerminalHolder.class);
        robot.clickOn(holder.terminal().focusTarget());
        return holder;
    }

    private static void await(TerminalHolder holder, String text) {
        Await.until(fx(() -> holder.terminal().text().contains(text)), Duration.ofSeconds(15),
                () -> "\"" + text + "\" on the terminal; it shows:\n" + onFx(holder.terminal()::text));
    }

    @Test
    void aFakeRunnersSessionRunsCommandsInExecModeAndRecallsThem(FxRobot robot) throws Exception {
        TerminalHolder holder = openTerminalOf(robot, ProviderType.FAKE, ToolProfile.LOCKED);
        await(holder, "exec$");
        robot.write("echo hi");
        robot.type(KeyCode.ENTER);
        await(holder, "fake output");
        // ↑ waits for the next prompt: while the command runs, keys are not taken
        Await.until(fx(() -> holder.terminal().text().stripTrailing().endsWith("exec$")), WAIT, "the next prompt");
        robot.type(KeyCode.UP);
        Await.until(fx(() -> holder.terminal().text().stripTrailing().endsWith("$ echo hi")), WAIT,
                () -> "the echoed command; the terminal shows:\n" + onFx(holder.terminal()::text));

        // navigate away and back: the same terminal, scrollback and all
        click(robot, "#nav-settings");
        click(robot, "#nav-runners");
        Await.until(fx(() -> robot.lookup("#terminal-holder").tryQuery().isPresent()), WAIT, () -> {
            StringBuilder seen = new StringBuilder();
            robot.interact(() -> robot.lookup(".tab-pane").queryAll().forEach(t -> seen.append(((TabPane) t).getTabs().stream()
                    .map(Tab::getId).toList()).append(" selected ").append(((TabPane) t).getSelectionModel().getSelectedItem().getId())
                    .append('\n')));
            return "the terminal after coming back; selected rows "
                    + onFx(() -> UiHarness.table(robot).getSelectionModel().getSelectedItems()) + ", tabs:\n" + seen;
        });
        TerminalHolder again = node(robot, "#terminal-holder", TerminalHolder.class);
        assertSame(holder.terminal(), again.terminal());
        assertTrue(again.terminal().text().contains("fake output"));
    }

    @Test
    void aShellOpenedAfterARestartSaysTheOldOneEnded(FxRobot robot) throws Exception {
        Sandboxes.require(app.service);
        // the last run's shell: opened and left open when that runtime closed
        Path previousRun = dataDir.resolve("restart" + System.nanoTime());
        Runner local;
        Session old;
        try (EmbeddedRuntime before = EmbeddedRuntimes.open(previousRun)) {
            RunnerService service = before.serviceFor(Principal.localUser());
            local = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 600));
            old = service.startSession(local.runnerId(), Optional.empty());
            service.openTerminal(local.runnerId(), old.sessionId(), new TerminalSize(80, 24), new TerminalScreen());
        }
        restartInto(robot, previousRun, local, old);
    }

    /** Shows the app on {@code data} again (a new runtime: RunnerDesk restarted) and opens the session's shell. */
    private void restartInto(FxRobot robot, Path data, Runner runner, Session session) throws Exception {
        robot.interact(app::close);
        app = new UiHarness(EmbeddedRuntimes.open(data));
        robot.interact(() -> app.show(stage, app.embeddedOnly(), Clock.systemUTC()));
        Await.until(fx(() -> UiHarness.table(robot).getItems().stream().anyMatch(row -> row.id().equals(runner.runnerId()))),
                WAIT, "the runner listed after the restart");
        robot.interact(() -> app.window.runners().openShell(runner.runnerId()));
        Await.until(fx(() -> app.window.terminals().terminal(session.sessionId()).isPresent()), WAIT, "its terminal open");
        TerminalView view = onFx(() -> app.window.terminals().terminal(session.sessionId()).orElseThrow());
        Await.until(fx(() -> view.text().contains("ended when RunnerDesk closed; this is a new shell")), Duration.ofSeconds(15),
                () -> "the restart said; the terminal shows:\n" + onFx(view::text));
    }

    @Test
    void aLocalRunnersSessionIsARealShellThatPopsOutAndBack(FxRobot robot) throws Exception {
        Sandboxes.require(app.service);
        TerminalHolder holder = openTerminalOf(robot, ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS);
        await(holder, "runner");
        robot.write("echo hi-$((1+1))");
        robot.type(KeyCode.ENTER);
        await(holder, "hi-2");

        click(robot, "#terminal-pop-out");
        Await.until(fx(holder::isPoppedOut), WAIT, "popped out");
        // the popped-out window covers the main one here (no window manager): press the button directly
        Button back = node(robot, "#terminal-bring-back", Button.class);
        robot.interact(back::fire);
        Await.until(fx(() -> !holder.isPoppedOut()), WAIT, "back in the tab");
        assertTrue(holder.terminal().text().contains("hi-2"), "the scrollback came back with it");
        assertFalse(holder.getChildren().isEmpty());
    }
}
