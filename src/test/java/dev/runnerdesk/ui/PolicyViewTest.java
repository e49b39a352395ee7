package dev.runnerdesk.ui;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
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
    void theRolesTabShowsTheAuditorBetweenViewerAndOperatorWithWhatItMayDo(FxRobot robot) throws Exception {
        app.runtime.apiKeys().create("audit-bot", Role.AUDITOR);
        openPolicies(robot);
        robot.interact(() -> robot.lookup("#policy-tabs").queryAs(TabPane.class).getSelectionModel().select(2));
        Pane roles = robot.lookup("#policy-roles").queryAs(Pane.class);
        List<String> names = roles.getChildren().stream().map(box -> ((Label) ((VBox) box).getChildren().get(0)).getText()).toList();
        assertEquals(List.of("viewer", "auditor", "operator", "admin  (your role)"), names);
        for (String may : List.of("read", "audit")) {
            Label l = robot.lookup("#policy-role-auditor-" + may).queryAs(Label.class);
            assertTrue(l.getStyleClass().contains(Styles.SUCCESS), may);
        }
        for (String mayNot : List.of("operate", "administer")) {
            Label l = robot.lookup("#policy-role-auditor-" + mayNot).queryAs(Label.class);
            assertTrue(l.getStyleClass().contains(Styles.TEXT_MUTED), mayNot);
        }
        assertEquals("verify the audit trail, read its checkpoints and every terminal recording, export it",
                robot.lookup("#policy-role-auditor-audit").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#policy-role-operator-audit").queryAs(Label.class).getStyleClass()
                .contains(Styles.TEXT_MUTED), "an operator may not audit");
        @SuppressWarnings("unchecked")
        TableView<Member> members = robot.lookup("#policy-members").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> members.getItems().stream()
                .anyMatch(m -> m.name().equals("audit-bot") && m.role() == Role.AUDITOR));
    }

    @Test
    void recordingsReadableByOffersViewerOperatorAndAdminOnly(FxRobot robot) throws Exception {
        openPolicies(robot);
        @SuppressWarnings("unchecked")
        ComboBox<Role> readers = robot.lookup("#policy-locked-recording-readers").queryAs(ComboBox.class);
        assertEquals(List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN), readers.getItems());
    }
}
