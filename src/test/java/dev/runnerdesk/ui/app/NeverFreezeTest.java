package dev.runnerdesk.ui.app;

import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway (mockwebserver3) that takes 5 s over every answer leaves the FX thread free, and the wait can
 * be cancelled.
 */
@ExtendWith(ApplicationExtension.class)
class NeverFreezeTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private final CountDownLatch listing = new CountDownLatch(1);
    private MockWebServer gateway;

    @Start
    void start(Stage stage) throws IOException {
        gateway = new MockWebServer();
        gateway.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/v1/admin/me")) {
                    return json("{\"name\":\"slow\",\"role\":\"admin\",\"beta_access\":true}", 5);
                }
                if (path.equals("/gateway/admin/runners/")) {
                    listing.countDown();
                    return json("{\"runners\":[],\"total\":0}", 5);
                }
                return json("{\"detail\":\"Not Found\"}", 5).newBuilder().code(404).build();
            }
        });
        gateway.start(0);
        app = new UiHarness(dataDir);
        app.show(stage, (profile, key) -> new GatewayRunnerService(GatewayConnection.of(gateway.url("/").toString(),
                "cm_sk_slowgateway", false)), Clock.systemUTC());
    }

    private static MockResponse json(String body, int delaySeconds) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body)
                .headersDelay(delaySeconds, TimeUnit.SECONDS).build();
    }

    @AfterEach
    void stop() {
        app.close();
        gateway.close();
    }

    @Test
    void aSlowListLeavesTheFxThreadFree(FxRobot robot) throws Exception {
        assertTrue(listing.await(10, TimeUnit.SECONDS), "the list call started"); // and takes 5 s
        CountDownLatch ran = new CountDownLatch(1);
        long posted = System.nanoTime();
        long[] ranAt = new long[1];
        Platform.runLater(() -> {
            ranAt[0] = System.nanoTime();
            ran.countDown();
        });
        assertTrue(ran.await(2, TimeUnit.SECONDS), "the FX thread ran the posted action");
        long millis = (ranAt[0] - posted) / 1_000_000;
        assertTrue(millis < 100, "a runLater posted during the call ran after " + millis + " ms");

        // the status bar shows the running calls, and the list's can be cancelled
        Await.until(fx(() -> node(robot, "#status-tasks", Label.class).isVisible()), WAIT, "the running calls in the status bar");
        var loading = WaitForAsyncUtils.asyncFx(() -> app.tasks.running().stream()
                .filter(t -> t.description().startsWith("Loading runners")).findFirst()).get(3, TimeUnit.SECONDS);
        assertTrue(loading.isPresent(), "the list call is among the running tasks");
        robot.interact(() -> loading.get().cancel());
        Await.until(fx(() -> !node(robot, "#runner-list-updating", Node.class).isVisible()), WAIT, "the list's loading mark gone");
    }
}
