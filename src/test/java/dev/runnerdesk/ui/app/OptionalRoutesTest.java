package dev.runnerdesk.ui.app;

import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.CurateMeGateway;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.scene.Node;
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
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway with only the Curate-Me runner routes: what it lacks (all-runner events, policies, audit) is said once, in
 * place, in plain words — never a notification per poll or visit, never a connection banner.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class OptionalRoutesTest {
    private static final String RUNNER = "runner_aaaaaaaaaaaa";
    @TempDir
    Path dir;
    private CurateMeGateway gateway;
    private UiHarness app;

    @Start
    void start(Stage stage) throws IOException {
        gateway = new CurateMeGateway();
        gateway.runner(RUNNER, "ready", null);
        gateway.event(RUNNER, "runner.created");
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
    void missingOptionalRoutesAreSaidInPlaceAndNeverAsNotifications(FxRobot robot) {
        Await.until(fx(() -> UiHarness.table(robot).getItems().size() == 1), WAIT, "the runner listed");

        // the timeline: built from the runner's events, and it says so under its title
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        String note = "This gateway has no all-runner events route; the timeline is built from each runner's events "
                + "(the newest 200 runners). This gateway has no event stream route; new events are looked for every 2 to 16 s.";
        Await.until(fx(() -> text(robot, "#timeline-route-note").equals(note) && visible(robot, "#timeline-route-note")), WAIT,
                () -> "the notes on the timeline's reach and how it follows: " + text(robot, "#timeline-route-note"));
        Await.until(fx(() -> app.window.timeline().model().events().size() == 1), WAIT, "the runner's event in the timeline");
        // followed live by polling the runner's own page: a new event arrives, with no word about the route again
        gateway.event(RUNNER, "command.executed");
        Await.until(fx(() -> app.window.timeline().model().events().size() == 2), WAIT, "the new event followed");

        // the policies: read-only, with why, in the view — on every visit, never as a notification
        app.open(robot, MainWindow.View.POLICIES, "#policies");
        Await.until(fx(() -> visible(robot, "#policy-readonly")), WAIT, "the policies said read-only");
        assertTrue(text(robot, "#policy-readonly").contains("no policy route"), text(robot, "#policy-readonly"));
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        long policyAsks = gateway.count("/gateway/admin/policies");
        app.open(robot, MainWindow.View.POLICIES, "#policy-readonly");
        Await.until(() -> gateway.count("/gateway/admin/policies") > policyAsks, WAIT, "the policies asked again on the visit");
        Await.until(fx(() -> visible(robot, "#policy-readonly")), WAIT, "said read-only again");

        assertEquals(List.of(), onFx(() -> List.copyOf(app.window.notifier().history())), "no notification about a route");
        assertEquals(ActiveConnection.Health.ONLINE, onFx(() -> app.window.connection().health()), "no banner either");
        assertEquals(1, gateway.count("/gateway/admin/events") + gateway.count("/gateway/admin/events/"),
                "the missing all-runner route asked once");
    }

    private static boolean visible(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().map(Node::isVisible).orElse(false));
    }
}
