package dev.runnerdesk.ui;

import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.app.MainWindow;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Policies view as an admin, against the real embedded runtime. */
@ExtendWith(ApplicationExtension.class)
class PolicyViewTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private void openPolicies(FxRobot robot) throws Exception {
        robot.interact(() -> app.window.navigate(MainWindow.View.POLICIES));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> !robot.lookup("#policy-web-automation-max-ttl").queryAs(TextField.class).getText().isEmpty());
    }

    private static void replace(FxRobot robot, String id, String text) {
        robot.interact(() -> robot.lookup(id).queryAs(javafx.scene.control.TextInputControl.class).clear());
        robot.clickOn(id).write(text);
    }

    @Test
    void anAdminEditsAProfileAndSavesIt(FxRobot robot) throws Exception {
        openPolicies(robot);
        assertFalse(robot.lookup("#policy-readonly").query().isVisible(), "admins are not told the view is read-only");
        assertTrue(robot.lookup("#policy-save").query().isDisabled(), "nothing to save yet");
        replace(robot, "#policy-web-automation-max-ttl", "7200");
        robot.clickOn("#policy-web-automation-record-input");
        assertFalse(robot.lookup("#policy-save").query().isDisabled());
        robot.clickOn("#policy-save");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> app.service.policies().profile(ToolProfile.WEB_AUTOMATION).maxTtlSeconds() == 7200);
        assertTrue(app.service.policies().profile(ToolProfile.WEB_AUTOMATION).recordInput());
        var updated = app.service.events(new EventQuery(java.util.Optional.empty(), 10, java.util.Optional.empty(),
                Set.of(EventTypes.POLICY_UPDATED), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty())).events();
        assertEquals(1, updated.size(), "one profile changed: one policy.updated event");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#policy-save").query().isDisabled());
        assertEquals("Saved", robot.lookup("#policy-saved-note").queryAs(Label.class).getText());
    }

    @Test
    void anInvalidEgressEntryShowsItsProblemAsTypedAndBlocksSave(FxRobot robot) throws Exception {
        openPolicies(robot);
        assertEquals("no egress — the list is empty, nothing is allowed",
                robot.lookup("#policy-web-automation-egress-note").queryAs(Label.class).getText());
        robot.clickOn("#policy-web-automation-egress").write("api.example.com:443\nbad host!");
        Label problem = robot.lookup("#policy-web-automation-egress-problem").queryAs(Label.class);
        assertTrue(problem.isVisible());
        assertTrue(problem.getText().startsWith("“bad host!”: "), problem.getText());
        assertTrue(robot.lookup("#policy-save").query().isDisabled(), "an invalid entry cannot be saved");

        robot.interact(() -> robot.lookup("#policy-web-automation-egress").queryAs(TextArea.class)
                .setText("api.example.com:443\n*.example.org"));
        assertFalse(problem.isVisible());
        assertEquals("2 entries allowed; everything else is blocked",
                robot.lookup("#policy-web-automation-egress-note").queryAs(Label.class).getText());
        assertFalse(robot.lookup("#policy-save").query().isDisabled());
        robot.clickOn("#policy-save");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> app.service.policies().profile(ToolProfile.WEB_AUTOMATION)
                .egressAllowlist().equals(List.of("api.example.com:443", "*.example.org")));
    }

    @Test
    void aNumberOutOfRangeIsShownInlineAndTheInputIsKept(FxRobot robot) throws Exception {
        openPolicies(robot);
        replace(robot, "#policy-locked-max-ttl", "10");
        assertEquals("between 60 and 86,400 seconds",
                robot.lookup("#policy-locked-max-ttl-problem").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#policy-save").query().isDisabled());
        assertEquals("10", robot.lookup("#policy-locked-max-ttl").queryAs(TextField.class).getText());
    }

    @Test
    void thePiiTestBoxShowsWhatASampleBecomesUnderTheEditedSettings(FxRobot robot) throws Exception {
        openPolicies(robot);
        robot.clickOn("PII scanning");
        robot.interact(() -> robot.lookup("#pii-sample").queryAs(TextArea.class).setText("write to jane@example.com today"));
        assertEquals("write to [REDACTED:email] today", robot.lookup("#pii-preview").queryAs(TextArea.class).getText());
        robot.clickOn("#pii-email-off");
        assertEquals("write to jane@example.com today", robot.lookup("#pii-preview").queryAs(TextArea.class).getText(),
                "the unsaved setting is what the box uses");
        robot.clickOn("#pii-email-block");
        assertTrue(robot.lookup("#pii-preview").queryAs(TextArea.class).getText().startsWith("[output withheld"));
        assertFalse(robot.lookup("#policy-save").query().isDisabled(), "a PII change is saved like the rest");
    }
}
