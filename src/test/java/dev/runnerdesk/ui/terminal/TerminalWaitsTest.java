package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.provider.e2b.E2bStub;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.GatewayFixture;
import dev.runnerdesk.ui.StreamedAnswer;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, "waiting without end or way out", at the terminal: opening a shell (on an E2B sandbox of the protocol stub,
 * which can be told to open it slowly) says what it waits for and can be cancelled, a shell that opens after the cancel
 * is never attached, a retry counts down and can be stopped; a command of the exec-mode prompt through a gateway says
 * what it waits for, and Ctrl+C or Cancel aborts its streamed answer at the gateway.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TerminalWaitsTest {
    @TempDir
    static Path dir;
    /** Generous: the stub starts real shells, and the machine may be busy with another build. */
    private static final Duration SHELL = Duration.ofSeconds(60);
    private E2bStub stub;
    private EmbeddedRuntime runtime;
    private FxTaskExecutor tasks;
    private Stage stage;
    private TerminalView view;
    private MockWebServer gateway;
    private final StreamedAnswer answers = new StreamedAnswer();
    private String runnerId;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        Path here = Files.createDirectories(dir.resolve("t" + System.nanoTime()));
        stub = new E2bStub(Files.createDirectories(here.resolve("e2b")));
        runtime = new EmbeddedRuntime(Files.createDirectories(here.resolve("data")), Clock.systemUTC(),
                List.of(new FakeProvider(), stub.provider()));
        tasks = new FxTaskExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        answers.close();
        WaitForAsyncUtils.asyncFx(() -> {
            if (view != null) {
                view.close();
            }
        }).get(10, TimeUnit.SECONDS);
        tasks.close();
        runtime.close();
        stub.close();
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A terminal of a new session on an E2B runner, shown and focused. */
    private Session openShell(FxRobot robot) throws Exception {
        RunnerService service = runtime.serviceFor(Principal.localUser());
        Runner r = service.create(new CreateRunnerRequest(ProviderType.E2B, ToolProfile.FULL_VM_TOOLS, 600));
        runnerId = r.runnerId();
        Session s = service.startSession(r.runnerId(), Optional.empty());
        show(robot, service, r.runnerId(), s.sessionId(), true);
        return s;
    }

    private void show(FxRobot robot, RunnerService service, String runner, String session, boolean pty) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            view = new TerminalView(service, tasks, runner, session, pty, false, 1000);
            stage.setScene(new Scene(new StackPane(view.view()), 900, 500));
            stage.show();
            view.start();
            view.focusTarget().requestFocus();
        }).get(10, TimeUnit.SECONDS);
        robot.clickOn(view.focusTarget());
    }

    private static String waitText(FxRobot robot) {
        return onFx(() -> node(robot, "#terminal-wait", Node.class).isVisible()
                ? node(robot, "#terminal-wait-text", Label.class).getText() : "");
    }

    private String banner(FxRobot robot) {
        return onFx(() -> view.connected() ? "" : node(robot, "#terminal-banner", Label.class).getText());
    }

    private boolean shown(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().map(n -> n.isVisible() && n.getScene() != null).orElse(false));
    }

    private void await(String text) {
        Await.until(fx(() -> view.text().contains(text)), SHELL,
                () -> "\"" + text + "\" on the terminal; it shows:\n" + onFx(view::text));
    }

    private void typeLine(FxRobot robot, String line) {
        robot.write(line);
        robot.type(KeyCode.ENTER);
    }

    @Test
    void openingAShellSaysWhatItWaitsForAndCancelStopsItWithoutAttachingAShellThatArrivesLate(FxRobot robot) throws Exception {
        CountDownLatch slowOpen = stub.holdNextPtyStart();
        Session s = openShell(robot);
        Await.until(() -> waitText(robot).matches("Opening a shell in session " + Pattern.quote(s.sessionId())
                + " on runner " + Pattern.quote(runnerId) + "… \\d+ s"), SHELL, () -> "the wait with its seconds: " + waitText(robot));
        typeLine(robot, "echo early-$((40+2))"); // for the shell being opened, which is then cancelled

        click(robot, "#terminal-wait-cancel");

        Await.until(() -> banner(robot).equals("Disconnected — opening the shell was cancelled. Reconnect opens it again."),
                WAIT, () -> "the banner saying it was cancelled; it says: " + banner(robot));
        assertEquals("", waitText(robot), "nothing waits any more");
        assertTrue(shown(robot, "#terminal-reconnect"), "Reconnect offered");
        assertFalse(shown(robot, "#terminal-stop-retrying"), "no retry to stop");
        await("[opening the shell was cancelled]");

        // E2B now opens the shell asked for before the cancel: it is closed, not attached, and gets none of the keys
        slowOpen.countDown();
        String sandbox = stub.sandboxOf(runnerId);
        Await.until(() -> stub.ptyStarts() == 1 && stub.runningProcesses(sandbox) == 0, SHELL,
                () -> "the late shell ended; running: " + stub.runningProcesses(sandbox));
        assertFalse(onFx(view::connected), "still disconnected: the late shell was not attached");

        // usable: Reconnect opens a shell that works
        click(robot, "#terminal-reconnect");
        robot.clickOn(view.focusTarget());
        typeLine(robot, "echo hi-$((20+1))");
        await("hi-21");
        assertTrue(onFx(view::connected));
        assertEquals("", waitText(robot));
        assertFalse(view.text().contains("early-42"), "keys typed for the cancelled shell went nowhere:\n" + view.text());
    }

    @Test
    void keysTypedWhileAShellOpensReachItWhenItOpens(FxRobot robot) throws Exception {
        CountDownLatch slowOpen = stub.holdNextPtyStart();
        openShell(robot);
        Await.until(() -> waitText(robot).startsWith("Opening a shell in session "), SHELL, () -> "the wait: " + waitText(robot));
        typeLine(robot, "echo early-$((40+2))");
        slowOpen.countDown();
        await("early-42");
        assertEquals("", waitText(robot), "the wait ended with the shell open");
        assertTrue(onFx(view::connected));
    }

    @Test
    void aRetryCountsDownAndStopRetryingEndsItUntilReconnect(FxRobot robot) throws Exception {
        stub.refusePtyStarts(true);
        openShell(robot);
        Await.until(() -> banner(robot).matches("Disconnected — .+\\. Retrying in \\d+ s"), SHELL,
                () -> "the retry countdown; the banner says: " + banner(robot));
        assertTrue(shown(robot, "#terminal-stop-retrying"), "a way out of the retries");

        click(robot, "#terminal-stop-retrying");

        Await.until(() -> banner(robot).endsWith("Stopped retrying; Reconnect tries again."), WAIT,
                () -> "the banner after stopping; it says: " + banner(robot));
        assertFalse(shown(robot, "#terminal-stop-retrying"));
        int tried = stub.ptyStarts();
        // the next try would have come within 2 s (the backoff after one or two refusals)
        assertFalse(Await.within(() -> stub.ptyStarts() > tried, Duration.ofSeconds(4), "another try"),
                "no try in the background after Stop retrying");

        stub.refusePtyStarts(false);
        click(robot, "#terminal-reconnect");
        robot.clickOn(view.focusTarget());
        typeLine(robot, "echo hi-$((20+1))");
        await("hi-21");
    }

    /** An NDJSON exec answer: {@code lines} output lines, one every {@code pauseMillis}, then the result. */
    private MockResponse execAnswer(int lines, long pauseMillis) {
        StringBuilder body = new StringBuilder();
        String line = "{\"type\":\"output\",\"stream\":\"stdout\",\"data\":\"tick %04d\\n\"}\n";
        for (int i = 1; i <= lines; i++) {
            body.append(String.format(line, i));
        }
        body.append("{\"type\":\"result\",\"exit_code\":0,\"stdout\":\"\",\"stderr\":\"\",\"duration_ms\":5}\n");
        int chunk = String.format(line, 1).length();
        return answers.stream("application/x-ndjson", body.toString().getBytes(StandardCharsets.UTF_8), chunk, pauseMillis);
    }

    @Test
    void aGatewayCommandSaysWhatItWaitsForAndCtrlCOrCancelAbortsItsStreamAtTheGateway(FxRobot robot) throws Exception {
        Supplier<MockResponse>[] exec = new Supplier[] {() -> execAnswer(600, 200)}; // two minutes of output
        gateway = new MockWebServer();
        gateway.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return request.getMethod().equals("POST") && request.getUrl().encodedPath().endsWith("/exec")
                        ? exec[0].get() : GatewayFixture.json(404, "{\"detail\":\"Not Found\"}");
            }
        });
        gateway.start(0);
        RunnerService service = new GatewayRunnerService(GatewayConnection.of(gateway.url("/").toString(),
                "cm_sk_terminalwaits0123456789", false));
        show(robot, service, "runner_waits", "sess_waits", false);
        await("exec$");

        typeLine(robot, "tail -f build.log");
        await("tick 0001");
        Await.until(() -> waitText(robot).matches("Waiting for runner runner_waits to finish “tail -f build.log”"
                + " \\(Ctrl\\+C stops waiting\\)… \\d+ s"), SHELL, () -> "the wait with its seconds: " + waitText(robot));
        assertEquals(1, answers.streaming(), "the output is being streamed");

        robot.press(KeyCode.CONTROL).type(KeyCode.C).release(KeyCode.CONTROL);

        await("stopped waiting; the command may still finish on the runner");
        Await.until(() -> answers.streaming() == 0, Duration.ofSeconds(10), "the gateway's answer aborted");
        Await.until(() -> waitText(robot).isEmpty(), WAIT, () -> "the wait gone; shows: " + waitText(robot));

        typeLine(robot, "tail -f other.log");
        Await.until(() -> answers.streaming() == 1 && waitText(robot).contains("“tail -f other.log”"), SHELL,
                () -> "the second wait: " + waitText(robot));
        click(robot, "#terminal-wait-cancel");
        Await.until(fx(() -> view.text().split("stopped waiting", -1).length - 1 == 2), WAIT,
                () -> "the second stop said; the terminal shows:\n" + onFx(view::text));
        Await.until(() -> answers.streaming() == 0, Duration.ofSeconds(10), "the second answer aborted");

        // usable: a quick command runs to its end
        exec[0] = () -> execAnswer(1, 0);
        robot.clickOn(view.focusTarget());
        typeLine(robot, "echo done");
        await("exit 0");
        assertEquals("", waitText(robot));
    }
}
