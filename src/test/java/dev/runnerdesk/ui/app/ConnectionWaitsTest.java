package dev.runnerdesk.ui.app;

import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.GatewayFixture;
import dev.runnerdesk.ui.UiHarness;
import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
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

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway that never answers the connection test (issue 17, finding 4), through the real gateway client: Test and
 * Save say what they wait for and can be cancelled (Escape in the dialog), and the answer deadline is a setting,
 * checked where it is typed, that the next test keeps to.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class ConnectionWaitsTest {
    @TempDir
    static Path dataDir;
    private MockWebServer gateway;
    private UiHarness app;

    @Start
    void start(Stage stage) throws IOException {
        gateway = new MockWebServer();
        gateway.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // "who am I" is asked first, and not answered for a minute
                return GatewayFixture.json(200, "{\"name\":\"late\",\"role\":\"admin\",\"beta_access\":true}").newBuilder()
                        .headersDelay(60, TimeUnit.SECONDS).build();
            }
        });
        gateway.start(0);
        app = new UiHarness(dataDir);
        app.show(stage, app.factory(GatewayFixture.gatewayOn(gateway)), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
        gateway.close();
    }

    private void openAddDialog(FxRobot robot) {
        app.open(robot, MainWindow.View.SETTINGS, "#connections");
        click(robot, "#profile-add");
        click(robot, "#profile-name").write("Silent gateway");
        click(robot, "#profile-url").write(gateway.url("/").toString());
        click(robot, "#profile-key").write("cm_sk_silentgateway0123456789");
    }

    private static String waitText(FxRobot robot) {
        return onFx(() -> node(robot, "#profile-editor-wait", Node.class).isVisible() ? text(robot, "#profile-editor-wait-text") : "");
    }

    @Test
    void testAndSaveSayWhatTheyWaitForAndCancelLeavesTheDialogUsable(FxRobot robot) {
        openAddDialog(robot);
        String host = gateway.getHostName() + ":" + gateway.getPort();
        click(robot, "#profile-editor-test");
        Await.until(() -> waitText(robot).matches("Waiting for " + host + " to answer the connection test… \\d+ s"), WAIT,
                () -> "the test's wait with its seconds: " + waitText(robot));
        assertTrue(node(robot, "#profile-editor-test", Node.class).isDisabled(), "one test at a time");

        robot.type(KeyCode.ESCAPE); // stops the test; the dialog stays
        Await.until(() -> waitText(robot).equals("Cancelled — the connection was not tested"), WAIT,
                () -> "the cancel said: " + waitText(robot));
        assertEquals(1, windowsWithRoot(robot, "profile-editor").size(), "Escape cancelled the wait, not the dialog");
        assertFalse(onFx(() -> node(robot, "#profile-editor-test", Node.class).isDisabled()), "Test can be pressed again");

        click(robot, "#profile-save"); // Save checks first: the same wait, cancelled with its button
        Await.until(() -> waitText(robot).startsWith("Waiting for " + host), WAIT, "Save's check waiting");
        click(robot, "#profile-editor-wait-cancel");
        Await.until(() -> waitText(robot).equals("Cancelled — the connection was not tested"), WAIT, "Save's check cancelled");
        assertEquals(1, windowsWithRoot(robot, "profile-editor").size(), "nothing saved, the dialog open");
        assertEquals(1, (int) onFx(() -> node(robot, "#profile-list", javafx.scene.control.ListView.class).getItems().size()), "only This computer");

        robot.type(KeyCode.ESCAPE); // nothing waits: Escape closes the dialog
        Await.until(() -> windowsWithRoot(robot, "profile-editor").isEmpty(), WAIT, "the dialog closed");
    }

    @Test
    void theAnswerDeadlineIsASettingCheckedWhereItIsTypedAndTheNextTestKeepsToIt(FxRobot robot) {
        app.open(robot, MainWindow.View.SETTINGS, "#connections");
        TextField field = node(robot, "#gateway-deadline", TextField.class);
        assertEquals("30", onFx(field::getText), "30 s by default");

        robot.interact(() -> field.setText(""));
        click(robot, "#gateway-deadline").write("abc").type(KeyCode.ENTER);
        assertTrue(text(robot, "#gateway-deadline-error").startsWith("The deadline must be a whole number of seconds (1–600)"),
                text(robot, "#gateway-deadline-error"));
        assertEquals("abc", onFx(field::getText), "what was typed stays to be corrected");
        robot.interact(() -> field.setText(""));
        click(robot, "#gateway-deadline").write("0").type(KeyCode.ENTER);
        assertEquals("The deadline must be between 1 and 600 seconds; it was not changed.", text(robot, "#gateway-deadline-error"));
        assertEquals(Duration.ofSeconds(30), onFx(() -> app.window.connection().deadline()), "a bad value is not applied");
        assertEquals(Optional.empty(), app.settings.get("connections.deadline_seconds"), "nor saved");

        robot.interact(() -> field.setText(""));
        click(robot, "#gateway-deadline").write("2").type(KeyCode.ENTER);
        assertFalse(onFx(() -> node(robot, "#gateway-deadline-error", Node.class).isVisible()), "no error left");
        assertEquals(Duration.ofSeconds(2), onFx(() -> app.window.connection().deadline()), "applied from the next call on");
        Await.until(() -> app.settings.get("connections.deadline_seconds").equals(Optional.of("2")), WAIT, "saved");

        openAddDialog(robot);
        long start = System.nanoTime();
        click(robot, "#profile-editor-test");
        Await.until(() -> text(robot, "#profile-editor-test-result").startsWith("✗ Unreachable: "), Duration.ofSeconds(20),
                () -> "the test given up: " + text(robot, "#profile-editor-test-result"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 8_000, "the test kept to the 2 s deadline, not the default 15 s: " + millis + " ms");
        // the result's line came: the dialog grew to fit it, its buttons whole
        for (String id : new String[] {"#profile-editor-test", "#profile-save", "#profile-cancel", "#profile-editor-test-result"}) {
            Await.until(() -> UiHarness.cutOff(robot, id).isEmpty(), WAIT, () -> id + " whole: " + UiHarness.cutOff(robot, id));
        }
        click(robot, "#profile-cancel");
    }
}
