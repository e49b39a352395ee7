package dev.runnerdesk.ui;

import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.common.RoleGate;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
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
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

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
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> !robot.lookup("#policy-locked-max-ttl").queryAs(TextField.class).getText().isEmpty());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#policy-readonly").query().isVisible());
        assertEquals("Read-only: your role is operator; editing policies needs admin",
                robot.lookup("#policy-readonly").queryAs(Label.class).getText());
        Node save = robot.lookup("#policy-save").query();
        assertTrue(save.isDisabled());
        assertEquals("Your role is operator; editing policies needs admin", RoleGate.reasonShown(save));
        assertTrue(robot.lookup("#policy-save-gate").tryQuery().isPresent(), "the reason sits on a wrapper that gets hover");
        assertFalse(robot.lookup("#policy-locked-max-ttl").queryAs(TextField.class).isEditable());
        assertFalse(robot.lookup("#policy-web-automation-egress").queryAs(TextArea.class).isEditable());
        assertTrue(robot.lookup("#policy-web-automation-network").queryAs(ComboBox.class).isDisabled());
        assertTrue(robot.lookup("#pii-email-off").query().isDisabled());
        // typing does nothing; save stays off
        robot.clickOn("#policy-locked-max-ttl").write("9");
        assertTrue(save.isDisabled());
    }

    @Test
    void anOperatorSeesRunnerAdminActionsDisabledWithTheReason(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> UiHarness.table(robot).getItems().size() == 1);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#create-runner").query().isDisabled()
                && !RoleGate.reasonShown(robot.lookup("#create-runner").query()).isEmpty());
        Node create = robot.lookup("#create-runner").query();
        assertTrue(create.isVisible(), "disabled, not hidden");
        assertEquals("Your role is operator; creating runners needs admin", RoleGate.reasonShown(create));
        assertEquals("Your role is operator; terminating runners needs admin",
                RoleGate.reasonShown(robot.lookup("#terminate-selected").query()));
        assertEquals("", RoleGate.reasonShown(robot.lookup("#stop-selected").query()), "operators may stop sessions");

        robot.interact(() -> UiHarness.table(robot).getSelectionModel().select(0));
        try {
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#detail-terminate").query().isDisabled());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(robot.lookup("#detail-terminate").queryAll().size() + " found; selected "
                    + UiHarness.table(robot).getSelectionModel().getSelectedItems() + "; visible "
                    + robot.lookup("#detail-terminate").query().isVisible() + " "
                    + RoleGate.reasonShown(robot.lookup("#detail-terminate").query()), e);
        }
        assertEquals("Your role is operator; terminating runners needs admin",
                RoleGate.reasonShown(robot.lookup("#detail-terminate").query()));
        assertFalse(robot.lookup("#detail-start-session").query().isDisabled(), "operators may start sessions");
    }
}
