package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.scene.layout.StackPane;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The terminal widget with its fixes, against the real embedded runtime: exec mode on fake, a PTY on local. */
@ExtendWith(ApplicationExtension.class)
class TerminalViewTest {
    @TempDir
    static Path dataDir;
    private EmbeddedRuntime runtime;
    private RunnerService service;
    private FxTaskExecutor tasks;
    private Stage stage;
    private TerminalView view;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        runtime = EmbeddedRuntimes.open(dataDir.resolve("t" + System.nanoTime()));
        service = runtime.serviceFor(Principal.localUser());
        tasks = new FxTaskExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            if (view != null) {
                view.close();
            }
        }).get(10, TimeUnit.SECONDS);
        tasks.close();
        runtime.close();
    }

    private void open(FxRobot robot, ProviderType provider, ToolProfile profile, int scrollback) throws Exception {
        open(robot, provider, profile, scrollback, provider == ProviderType.LOCAL);
    }

    private void open(FxRobot robot, ProviderType provider, ToolProfile profile, int scrollback, boolean pty) throws Exception {
        if (provider == ProviderType.LOCAL) {
            Sandboxes.require(service);
        }
        Runner r = service.create(new CreateRunnerRequest(provider, profile, 600));
        Session s = service.startSession(r.runnerId(), Optional.empty());
        WaitForAsyncUtils.asyncFx(() -> {
            view = new TerminalView(service, tasks, r.runnerId(), s.sessionId(), pty, false, scrollback);
            stage.setScene(new Scene(new StackPane(view.view()), 900, 500));
            stage.show();
            view.start();
            view.focusTarget().requestFocus();
        }).get(10, TimeUnit.SECONDS);
        robot.clickOn(view.focusTarget());
    }

    private void await(String text) {
        Await.until(fx(() -> view.text().contains(text)), Duration.ofSeconds(15),
                () -> "\"" + text + "\" on the terminal; it shows:\n" + onFx(view::text));
    }

    @Test
    void execModeOnAFakeRunnerRunsALineAndRecallsIt(FxRobot robot) throws Exception {
        open(robot, ProviderType.FAKE, ToolProfile.LOCKED, 10_000);
        await("exec$");
        robot.write("echo hi");
        robot.type(KeyCode.ENTER);
        await("fake output");
        await("exit 0");
        robot.type(KeyCode.UP);
        Await.until(fx(() -> view.text().stripTrailing().endsWith("$ echo hi")), WAIT, "the echoed command");
        robot.type(KeyCode.ENTER);
        Await.until(fx(() -> view.text().split("fake output", -1).length - 1 == 2), WAIT, "the command run twice");
    }

    @Test
    void execModeExplainsALineItCannotSplit(FxRobot robot) throws Exception {
        open(robot, ProviderType.FAKE, ToolProfile.LOCKED, 10_000);
        await("exec$");
        robot.write("echo 'unclosed");
        robot.type(KeyCode.ENTER);
        await("cannot run this line: unclosed single quote");
        robot.write("curl x");
        robot.type(KeyCode.ENTER);
        await("error: the locked profile does not allow the command \"curl\"");
    }

    @Test
    void aLocalRunnerGetsARealShell(FxRobot robot) throws Exception {
        open(robot, ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 10_000);
        await("runner");
        robot.write("echo hi-$((20+1))");
        robot.type(KeyCode.ENTER);
        await("hi-21");
    }

    @Test
    void modifierKeysAloneSendNothingAndCtrlKeysReachTheShell(FxRobot robot) throws Exception {
        open(robot, ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 10_000);
        await("runner");
        // od reads the keys once the shell runs it: the shell prints the marker after it left line editing
        robot.write("printf 'o%s\\n' d-reads; od -An -tx1");
        robot.type(KeyCode.ENTER);
        await("od-reads");
        robot.press(KeyCode.SHIFT).release(KeyCode.SHIFT);
        robot.press(KeyCode.CONTROL).type(KeyCode.A).type(KeyCode.L).type(KeyCode.F).release(KeyCode.CONTROL);
        robot.type(KeyCode.ENTER);
        robot.press(KeyCode.CONTROL).type(KeyCode.D).release(KeyCode.CONTROL);
        await("01 0c 06 0a");
        assertFalse(view.text().contains("00"), "no NUL from a bare modifier:\n" + view.text());
    }

    @Test
    void aShellTheServiceCannotOpenBecomesExecModeInsteadOfRetrying(FxRobot robot) throws Exception {
        open(robot, ProviderType.FAKE, ToolProfile.LOCKED, 10_000, true); // fake has no PTY: openTerminal is Unavailable
        await("exec$");
        assertTrue(view.connected(), "no reconnect banner");
        robot.write("echo hi");
        robot.type(KeyCode.ENTER);
        await("fake output");
        assertEquals("Exec mode · one command per line", robot.lookup("#terminal-mode").queryAs(javafx.scene.control.Label.class)
                .getText());
    }

    /** A terminal that cannot be had says why in full, even in a narrow window, and does not retry. */
    @Test
    void aTerminalThatCannotBeHadSaysWhyInFullAtAnyWidth(FxRobot robot) throws Exception {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        Session s = service.startSession(r.runnerId(), Optional.empty());
        service.stopSession(r.runnerId(), s.sessionId());
        WaitForAsyncUtils.asyncFx(() -> {
            view = new TerminalView(service, tasks, r.runnerId(), s.sessionId(), true, false, 1000);
            stage.setScene(new Scene(new StackPane(view.view()), 360, 400));
            stage.show();
            view.start();
        }).get(10, TimeUnit.SECONDS);
        javafx.scene.control.Label banner = node(robot, "#terminal-banner", javafx.scene.control.Label.class);
        Await.until(fx(() -> banner.getScene() != null && !banner.getText().isEmpty()), Duration.ofSeconds(15), "the banner");
        String text = onFx(banner::getText);
        assertTrue(text.contains(s.sessionId()) && text.contains("stopped"), text);
        WaitForAsyncUtils.waitForFxEvents();
        String shown = onFx(() -> banner.lookupAll(".text").stream().filter(javafx.scene.text.Text.class::isInstance)
                .map(n -> ((javafx.scene.text.Text) n).getText()).findFirst().orElse(""));
        assertEquals(text, shown, "the banner shows its whole text, wrapped, not cut with …");
        assertFalse(onFx(() -> robot.lookup("#terminal-reconnect").query().isVisible()), "no retrying a stopped session");
    }

    @Test
    void pasteUsesTheJavaFxClipboard(FxRobot robot) throws Exception {
        open(robot, ProviderType.FAKE, ToolProfile.LOCKED, 10_000);
        await("exec$");
        WaitForAsyncUtils.asyncFx(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putString("echo pasted");
            Clipboard.getSystemClipboard().setContent(content);
        }).get(5, TimeUnit.SECONDS);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.V).release(KeyCode.SHIFT, KeyCode.CONTROL);
        await("$ echo pasted");
    }

    @Test
    void bigOutputIsCappedInChunksWithADroppedLinesNotice(FxRobot robot) throws Exception {
        open(robot, ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 1_000);
        await("runner");
        robot.write("seq 1 20000");
        robot.type(KeyCode.ENTER);
        await("20000");
        node(robot, "#terminal-dropped", Node.class);
        long history = view.text().lines().count();
        assertTrue(history <= 1_000 + 100 + 40, "scrollback stays near its cap: " + history);
        assertTrue(history >= 900, "the cap keeps its lines: " + history);
        assertEquals(Level.OFF, Logger.getLogger("com.techsenger.jeditermfx.core.model.TerminalTextBuffer").getLevel());
    }

    @Test
    void zoomChangesTheFontSize(FxRobot robot) throws Exception {
        open(robot, ProviderType.FAKE, ToolProfile.LOCKED, 10_000);
        RunnerTerminalWidget widget = (RunnerTerminalWidget) widgetOf(view);
        robot.press(KeyCode.CONTROL).type(KeyCode.EQUALS).type(KeyCode.EQUALS).release(KeyCode.CONTROL);
        Await.until(fx(() -> widget.fontSize() == TerminalSettings.DEFAULT_FONT_SIZE + 2), WAIT,
                () -> "two steps larger than " + TerminalSettings.DEFAULT_FONT_SIZE + ", not " + onFx(widget::fontSize));
    }

    @Test
    void whatIsAlreadyOnScreenTakesTheColoursOfEachNewTheme(FxRobot robot) throws Exception {
        open(robot, ProviderType.FAKE, ToolProfile.LOCKED, 10_000);
        await("exec$");
        RunnerTerminalWidget widget = (RunnerTerminalWidget) widgetOf(view);
        assertDrawnIn(widget, TerminalTheme.LIGHT);
        robot.interact(() -> view.setDark(true));
        assertDrawnIn(widget, TerminalTheme.DARK); // was: the lines written in light kept their white background
        assertTrue(widget.getPane().getStyle().contains(TerminalTheme.DARK.backgroundCss()));
        robot.interact(() -> view.setDark(false));
        assertDrawnIn(widget, TerminalTheme.LIGHT); // was: black bars where the console wrote in dark
    }

    /** The blank between "Exec" and "mode" on the first line, as drawn: a cell written before any theme switch. */
    static void assertDrawnIn(RunnerTerminalWidget widget, TerminalTheme theme) {
        Color expected = Color.rgb(theme.background >> 16 & 0xff,
                theme.background >> 8 & 0xff, theme.background & 0xff);
        Await.until(fx(() -> {
            var canvas = widget.getTerminalPanel().getCanvas();
            int columns = widget.getTerminalTextBuffer().getWidth();
            int rows = widget.getTerminalTextBuffer().getHeight();
            double cellWidth = (canvas.getWidth() - 4) / columns;
            double cellHeight = canvas.getHeight() / rows;
            var pixel = canvas.snapshot(null, null).getPixelReader().getColor((int) (4 + 4.5 * cellWidth), (int) (cellHeight / 2));
            return Math.abs(pixel.getRed() - expected.getRed()) < 0.05 && Math.abs(pixel.getGreen() - expected.getGreen()) < 0.05
                    && Math.abs(pixel.getBlue() - expected.getBlue()) < 0.05;
        }), WAIT, () -> "the first line drawn on " + theme.backgroundCss());
    }

    private static Object widgetOf(TerminalView v) throws ReflectiveOperationException {
        var field = TerminalView.class.getDeclaredField("widget");
        field.setAccessible(true);
        return field.get(v);
    }
}
