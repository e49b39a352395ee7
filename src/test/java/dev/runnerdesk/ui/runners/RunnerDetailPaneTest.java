package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detail pane beside the runner list: a share of the window that grows with it, and a divider remembered. */
@ExtendWith(ApplicationExtension.class)
class RunnerDetailPaneTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = new UiHarness(dataDir);
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private Region detailShown(FxRobot robot) {
        Runner r = app.create();
        Await.until(fx(() -> UiHarness.table(robot).getItems().stream().anyMatch(row -> row.id().equals(r.runnerId()))), WAIT,
                "the runner listed");
        robot.interact(() -> app.window.runners().select(r.runnerId()));
        return node(robot, "#runner-detail-holder", Region.class);
    }

    @Test
    void theDetailPaneGrowsWithTheWindow(FxRobot robot) {
        Region detail = detailShown(robot);
        robot.interact(() -> {
            stage.setWidth(800);
            stage.setHeight(600);
        });
        Await.until(fx(() -> detail.getWidth() >= 320 && detail.getWidth() < 400), WAIT,
                () -> "an 800-pixel window keeps it usable: " + onFx(detail::getWidth) + " in " + onFx(stage::getWidth));
        robot.interact(() -> {
            stage.setWidth(1600);
            stage.setHeight(1000);
        });
        Await.until(fx(() -> detail.getWidth() > 600), WAIT, () -> "a 1600-pixel window gives the detail more than 600"
                + " pixels (was stuck near 340), not " + onFx(detail::getWidth));
    }

    @Test
    void aDraggedDividerIsRemembered(FxRobot robot) {
        detailShown(robot);
        SplitPane split = (SplitPane) onFx(() -> node(robot, "#runner-table", Node.class).getParent().getParent());
        // its own divider: the detail's tabs hold split panes of their own (the Files tab's preview)
        Node divider = onFx(() -> split.lookupAll(".split-pane-divider").stream().filter(d -> d.getParent() == split)
                .findFirst().orElseThrow());
        double before = onFx(() -> split.getDividerPositions()[0]);
        robot.drag(divider).moveBy(-150, 0).release(MouseButton.PRIMARY);
        double after = onFx(() -> split.getDividerPositions()[0]);
        assertTrue(after < before - 0.05, "dragged left: " + before + " → " + after);
        Await.until(() -> app.settings.get(UiPreferences.RUNNER_DETAIL_DIVIDER).isPresent(), WAIT, "the divider saved");
        assertEquals(after, Double.parseDouble(app.settings.get(UiPreferences.RUNNER_DETAIL_DIVIDER).orElseThrow()), 0.01);
        assertEquals(after, RunnerDetailLayout.parse(app.settings.get(UiPreferences.RUNNER_DETAIL_DIVIDER).orElseThrow()), 0.01,
                "and read back when the detail pane appears next time (after a restart too)");
    }

    @Test
    void startSessionTakesASessionTtlCheckedAsTypedAndByTheProfile(FxRobot robot) {
        Runner r = app.create(); // locked: its profile allows sessions of at most 3,600 s
        Await.until(fx(() -> UiHarness.table(robot).getItems().stream().anyMatch(row -> row.id().equals(r.runnerId()))), WAIT,
                "the runner listed");
        robot.interact(() -> app.window.runners().select(r.runnerId()));
        TextField ttl = node(robot, "#detail-session-ttl", TextField.class);
        Button start = node(robot, "#detail-start-session", Button.class);
        robot.interact(() -> ttl.setText("30"));
        assertTrue(onFx(start::isDisabled), "under 60 s cannot be sent");
        robot.interact(() -> ttl.setText("soon"));
        assertTrue(onFx(start::isDisabled));
        robot.interact(() -> ttl.setText("900"));
        assertFalse(onFx(start::isDisabled));
        robot.interact(start::fire);
        Await.until(() -> app.service.get(r.runnerId()).activeSession().isPresent(), WAIT, "the session started");
        Session s = app.service.get(r.runnerId()).activeSession().orElseThrow();
        assertEquals(900, Duration.between(s.startedAt(), s.expiresAt()).toSeconds(), "the session's own TTL");
    }

    @Test
    void theSessionTtlIsReadAsTyped() {
        assertEquals(Optional.of(Optional.empty()), RunnerDetailController.sessionTtl(" "), "empty: the runner's own");
        assertEquals(Optional.of(Optional.of(600)), RunnerDetailController.sessionTtl("600"));
        assertEquals(Optional.empty(), RunnerDetailController.sessionTtl("86401"));
        assertEquals(Optional.empty(), RunnerDetailController.sessionTtl("ten minutes"));
        // over the profile's maximum is the service's to refuse (RunnerServiceContract), which the notice then says
    }
}
