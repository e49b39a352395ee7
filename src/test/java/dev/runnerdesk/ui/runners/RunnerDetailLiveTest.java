package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.CurateMeGateway;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
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
import java.util.List;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The selected runner's detail follows the runner's own event stream on a gateway with only the Curate-Me routes: its
 * Events tab and its state and session change as events come, each event once; one stream at most, for the runner
 * shown, closed when another is selected and when the Runners view is left.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class RunnerDetailLiveTest {
    private static final String A = "runner_aaaaaaaaaaaa";
    private static final String B = "runner_bbbbbbbbbbbb";
    @TempDir
    Path dir;
    private CurateMeGateway gateway;
    private UiHarness app;

    @Start
    void start(Stage stage) throws IOException {
        gateway = new CurateMeGateway();
        gateway.runner(A, "ready", null);
        gateway.runner(B, "ready", null);
        gateway.event(A, "runner.created");
        gateway.event(B, "runner.created");
        gateway.event(A, "runner.ready");
        app = new UiHarness(dir);
        app.secrets.put(app.gatewayProfile(gateway.url(), true).secretName(), "cm_sk_curateme_0123456789");
        app.show(stage, app.gatewayClient(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
        gateway.close();
    }

    @Test
    void theSelectedRunnersDetailFollowsItsOwnStream(FxRobot robot) {
        Await.until(fx(() -> UiHarness.table(robot).getItems().size() == 2), WAIT, "both runners listed");
        select(robot, A);
        @SuppressWarnings("unchecked")
        ListView<AuditEvent> events = node(robot, "#detail-events", ListView.class);
        Await.until(fx(() -> events.getItems().size() == 2), WAIT, "the runner's two events loaded");
        Await.until(() -> gateway.openStreamsOf(A) == 1, WAIT, "the runner's own stream open");

        // a session starts elsewhere: the event arrives, and the runner is read again because of it
        gateway.runner(A, "running", "sess_000000000001");
        long started = gateway.event(A, "session.started");
        Await.until(fx(() -> !events.getItems().isEmpty() && events.getItems().get(0).seq() == started), WAIT,
                "the new event at the top of the Events tab");
        Await.until(fx(() -> text(robot, "#detail-active-session").equals("sess_000000000001")), WAIT,
                "the detail shows the session started");
        long executed = gateway.event(A, "command.executed");
        Await.until(fx(() -> events.getItems().get(0).seq() == executed), WAIT, "the next event too");
        List<Long> seqs = onFx(() -> events.getItems().stream().map(AuditEvent::seq).toList());
        assertEquals(List.of(executed, started, 3L, 1L), seqs, "each event once, newest first");
        assertEquals(1, gateway.openStreams.get(), "one stream: the selected runner's");

        // another runner selected: its stream replaces the first
        select(robot, B);
        Await.until(() -> gateway.openStreamsOf(A) == 0 && gateway.openStreamsOf(B) == 1, WAIT,
                () -> "A's stream closed and B's open: " + gateway.openStreamsOf(A) + ", " + gateway.openStreamsOf(B));
        gateway.event(A, "command.executed");
        long ofB = gateway.event(B, "runner.ready");
        Await.until(fx(() -> !events.getItems().isEmpty() && events.getItems().get(0).seq() == ofB), WAIT, "B's new event");
        assertEquals(List.of(ofB, 2L), onFx(() -> events.getItems().stream().map(AuditEvent::seq).toList()),
                "only B's events in B's detail");

        // the Runners view left: no stream stays open
        app.open(robot, MainWindow.View.SETTINGS, "#profile-list");
        Await.until(() -> gateway.openStreams.get() == 0, WAIT, () -> gateway.openStreams.get() + " streams still open");
    }

    @Test
    void afterAnOutageTheDetailCatchesUpOnOneStream(FxRobot robot) {
        Await.until(fx(() -> UiHarness.table(robot).getItems().size() == 2), WAIT, "both runners listed");
        select(robot, A);
        @SuppressWarnings("unchecked")
        ListView<AuditEvent> events = node(robot, "#detail-events", ListView.class);
        Await.until(() -> gateway.openStreamsOf(A) == 1, WAIT, "the runner's own stream open");

        gateway.failing = true;
        Await.until(fx(() -> app.window.connection().health() == ActiveConnection.Health.OFFLINE), WAIT, "offline");
        long during = gateway.event(A, "command.executed");
        gateway.failing = false;
        Await.until(fx(() -> app.window.connection().health() == ActiveConnection.Health.ONLINE), WAIT, "back online");
        Await.until(fx(() -> !events.getItems().isEmpty() && events.getItems().get(0).seq() == during), WAIT,
                "the event of the outage in the Events tab");
        long after = gateway.event(A, "command.executed");
        Await.until(fx(() -> events.getItems().get(0).seq() == after), WAIT, "live again");
        assertEquals(List.of(after, during, 3L, 1L), onFx(() -> events.getItems().stream().map(AuditEvent::seq).toList()),
                "each event once");
        Await.until(() -> gateway.openStreams.get() == 1, WAIT, () -> gateway.openStreams.get() + " streams open, not one");
    }

    private static void select(FxRobot robot, String runnerId) {
        robot.interact(() -> {
            var table = UiHarness.table(robot);
            for (int i = 0; i < table.getItems().size(); i++) {
                if (table.getItems().get(i).id().equals(runnerId)) {
                    table.getSelectionModel().clearAndSelect(i);
                }
            }
        });
        Await.until(fx(() -> text(robot, "#detail-runner-id").equals(runnerId)), WAIT, "the detail of " + runnerId);
    }
}
