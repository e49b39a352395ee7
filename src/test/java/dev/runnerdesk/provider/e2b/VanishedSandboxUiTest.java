package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import dev.runnerdesk.ui.terminal.TerminalView;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, finding 6, as a user meets it: the E2B sandbox of a runner with an open session is killed behind the
 * app's back (the protocol stub stands in for E2B); the terminal then says in full, in a narrow window, that the
 * sandbox is gone and the runner failed, offers no Reconnect, and the runner reads failed.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class VanishedSandboxUiTest {
    @TempDir
    static Path dir;
    private E2bStub stub;
    private EmbeddedRuntime runtime;
    private FxTaskExecutor tasks;
    private Stage stage;
    private TerminalView view;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        Path here = Files.createDirectories(dir.resolve("t" + System.nanoTime()));
        stub = new E2bStub(Files.createDirectories(here.resolve("e2b")));
        runtime = new EmbeddedRuntime(Files.createDirectories(here.resolve("data")), Clock.systemUTC(),
                List.of(new FakeProvider(), new E2bProvider(stub::config, () -> Optional.of(E2bStub.KEY))));
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
        stub.close();
    }

    @Test
    void aTerminalOnAVanishedSandboxSaysWhyInFullAndDoesNotRetry(FxRobot robot) throws Exception {
        RunnerService service = runtime.serviceFor(Principal.localUser());
        Runner r = service.create(new CreateRunnerRequest(ProviderType.E2B, ToolProfile.FULL_VM_TOOLS, 600));
        Session s = service.startSession(r.runnerId(), Optional.empty());
        stub.killBehindTheClientsBack(stub.sandboxOf(r.runnerId()));
        WaitForAsyncUtils.asyncFx(() -> {
            view = new TerminalView(service, tasks, r.runnerId(), s.sessionId(), true, false, 1000);
            stage.setScene(new Scene(new StackPane(view.view()), 420, 360));
            stage.show();
            view.start();
        }).get(10, TimeUnit.SECONDS);
        Label banner = node(robot, "#terminal-banner", Label.class);
        Await.until(fx(() -> banner.getScene() != null && banner.getText().contains("is gone")), Duration.ofSeconds(30),
                () -> "the banner saying the sandbox is gone; it says: " + onFx(banner::getText));
        String text = onFx(banner::getText);
        assertTrue(text.contains("failed"), "it says the runner failed: " + text);
        assertFalse(text.contains("Exception") || text.contains("RunnerException"), text);
        WaitForAsyncUtils.waitForFxEvents();
        String drawn = onFx(() -> banner.lookupAll(".text").stream().filter(Text.class::isInstance)
                .map(n -> ((Text) n).getText()).findFirst().orElse(""));
        assertEquals(text, drawn, "the whole reason is drawn, wrapped, not cut");
        assertFalse(onFx(() -> robot.lookup("#terminal-reconnect").query().isVisible()), "nothing to reconnect to");
        assertEquals(RunnerState.FAILED, service.get(r.runnerId()).state(), "the list reads the runner as failed");
    }
}
