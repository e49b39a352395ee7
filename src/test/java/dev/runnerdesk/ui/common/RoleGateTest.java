package dev.runnerdesk.ui.common;

import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
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

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An operator on the real embedded runtime: what the role cannot do is disabled, with the reason on hover. */
@ExtendWith(ApplicationExtension.class)
class RoleGateTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        app.create();
        RunnerServiceFactory asOperator = (profile, key) -> app.runtime.serviceFor(new Principal("op", Role.OPERATOR));
        app.show(stage, asOperator, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void anOperatorSeesThePolicyEditorReadOnlyWithTheReason(FxRobot robot) throws Exception {
        robot.interact(() -> app.window.navigate(MainWindow.View.POLICIES));
        Await.until(fx(() -> !node(robot, "#policy-locked-max-ttl", TextField.class).getText().isEmpty()), WAIT, "the policies loaded");
        Await.until(fx(() -> node(robot, "#policy-readonly", Node.class).isVisible()), WAIT, "the read-only notice");
        assertEquals("Read-only: your role is operator; editing policies needs admin",
                text(robot, "#policy-readonly"));
        Node save = node(robot, "#policy-save", Node.class);
        assertTrue(save.isDisabled());
        assertEquals("Your role is operator; editing policies needs admin", RoleGate.reasonShown(save));
        node(robot, "#policy-save-gate", Node.class); // the reason sits on a wrapper that gets hover
        assertFalse(node(robot, "#policy-locked-max-ttl", TextField.class).isEditable());
        assertFalse(node(robot, "#policy-web-automation-egress", TextArea.class).isEditable());
        assertTrue(node(robot, "#policy-web-automation-network", ComboBox.class).isDisabled());
        assertTrue(node(robot, "#pii-email-off", Node.class).isDisabled());
        // typing does nothing; save stays off
        click(robot, "#policy-locked-max-ttl").write("9");
        assertTrue(save.isDisabled());
    }

    @Test
    void anOperatorSeesRunnerAdminActionsDisabledWithTheReason(FxRobot robot) throws Exception {
        Await.until(fx(() -> UiHarness.table(robot).getItems().size() == 1), WAIT, "the runner listed");
        Await.until(fx(() -> node(robot, "#create-runner", Node.class).isDisabled()
                && !RoleGate.reasonShown(node(robot, "#create-runner", Node.class)).isEmpty()), WAIT, "New runner off with its reason");
        Node create = node(robot, "#create-runner", Node.class);
        assertTrue(create.isVisible(), "disabled, not hidden");
        assertEquals("Your role is operator; creating runners needs admin", RoleGate.reasonShown(create));
        assertEquals("Your role is operator; terminating runners needs admin",
                RoleGate.reasonShown(node(robot, "#terminate-selected", Node.class)));
        assertEquals("", RoleGate.reasonShown(node(robot, "#stop-selected", Node.class)), "operators may stop sessions");

        robot.interact(() -> UiHarness.table(robot).getSelectionModel().select(0));
        Await.until(fx(() -> node(robot, "#detail-terminate", Node.class).isDisabled()), WAIT, () -> onFx(() ->
                "the detail's Terminate off; " + robot.lookup("#detail-terminate").queryAll().size() + " found; selected "
                + UiHarness.table(robot).getSelectionModel().getSelectedItems() + "; "
                + RoleGate.reasonShown(robot.lookup("#detail-terminate").query())));
        assertEquals("Your role is operator; terminating runners needs admin",
                RoleGate.reasonShown(node(robot, "#detail-terminate", Node.class)));
        assertFalse(node(robot, "#detail-start-session", Node.class).isDisabled(), "operators may start sessions");
    }
}
