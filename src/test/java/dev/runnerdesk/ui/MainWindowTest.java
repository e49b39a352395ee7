package dev.runnerdesk.ui;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import javafx.scene.control.TableView;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first window against the real embedded runtime (fake provider), headless. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    @TempDir
    static Path dataDir;
    private EmbeddedRuntime runtime;
    private RunnerService service;
    private MainWindow window;
    private FxTaskExecutor tasks;

    @Start
    void start(Stage stage) {
        runtime = EmbeddedRuntime.open(dataDir.resolve("t" + System.nanoTime()));
        service = runtime.serviceFor(Principal.localUser());
        service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
        tasks = new FxTaskExecutor();
        window = new MainWindow(service, tasks);
        window.show(stage);
    }

    @AfterEach
    void stop() {
        window.close();
        tasks.close();
        runtime.close();
    }

    @SuppressWarnings("unchecked")
    private TableView<Runner> table(FxRobot robot) {
        return robot.lookup("#runner-table").queryAs(TableView.class);
    }

    @Test
    void listsTheRunnersOfTheEmbeddedRuntime(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 1);
        Runner shown = table(robot).getItems().get(0);
        assertEquals(RunnerState.READY, shown.state());
        assertTrue(robot.lookup(".state-ready").tryQuery().isPresent(), "a state badge is shown");
    }

    @Test
    void aRunnerCreatedInTheWindowAppearsInTheServiceAndTheList(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 1);
        robot.clickOn("#create-runner");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 2);
        assertEquals(2, service.list(RunnerQuery.firstPage()).total());
    }

    @Test
    void changesMadeElsewhereArriveLive(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 1);
        String id = table(robot).getItems().get(0).runnerId();
        service.terminate(id);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> table(robot).getItems().get(0).state() == RunnerState.TERMINATED);
    }
}
