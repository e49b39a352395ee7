package dev.runnerdesk.ui.policy;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.layout.VBox;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.text;
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
        Await.until(fx(() -> !node(robot, "#policy-web-automation-max-ttl", TextField.class).getText().isEmpty()), WAIT, "the policies loaded");
    }

    private static void replace(FxRobot robot, String id, String text) {
        robot.interact(() -> node(robot, id, TextInputControl.class).clear());
        robot.clickOn(id).write(text);
    }

    @Test
    void anInvalidFieldIsMarkedRedAndTheMatrixStaysStillWhileTyping(FxRobot robot) throws Exception {
        openPolicies(robot);
        TextField ttl = node(robot, "#policy-web-automation-max-ttl", TextField.class);
        Node network = node(robot, "#policy-web-automation-network", Node.class);
        double before = UiHarness.onFx(() -> network.localToScene(0, 0).getY());
        assertFalse(UiHarness.onFx(() -> ttl.getPseudoClassStates().contains(Styles.STATE_DANGER)));

        replace(robot, "#policy-web-automation-max-ttl", "12");
        Await.until(fx(() -> ttl.getPseudoClassStates().contains(Styles.STATE_DANGER)), WAIT, "the field marked invalid");
        // drawn red: the border (the first background layer) is the theme's danger colour (Primer light)
        Await.until(fx(() -> ttl.getBackground() != null
                && Color.web("#cf222e").equals(ttl.getBackground().getFills().get(0).getFill())), WAIT, "a red border");
        assertFalse(text(robot, "#policy-web-automation-max-ttl-problem").isEmpty(), "and the problem said");
        assertEquals(before, (double) UiHarness.onFx(() -> network.localToScene(0, 0).getY()), 0.5,
                "the rows below do not move when a problem appears");

        TextInputControl egress = node(robot, "#policy-web-automation-egress", TextInputControl.class);
        robot.interact(() -> egress.setText("not a host!"));
        Await.until(fx(() -> egress.getPseudoClassStates().contains(Styles.STATE_DANGER)), WAIT, "the allowlist marked invalid");
        assertFalse(text(robot, "#policy-web-automation-egress-note").contains("allowed"),
                "no “1 entry allowed” beside an entry that is not valid: " + text(robot, "#policy-web-automation-egress-note"));

        replace(robot, "#policy-web-automation-max-ttl", "7200");
        Await.until(fx(() -> !ttl.getPseudoClassStates().contains(Styles.STATE_DANGER)), WAIT, "the mark gone once valid");
    }

    @Test
    void anAdminEditsAProfileAndSavesIt(FxRobot robot) throws Exception {
        openPolicies(robot);
        assertFalse(node(robot, "#policy-readonly", Node.class).isVisible(), "admins are not told the view is read-only");
        assertTrue(node(robot, "#policy-save", Node.class).isDisabled(), "nothing to save yet");
        replace(robot, "#policy-web-automation-max-ttl", "7200");
        // by keyboard: the focus scrolls the box into sight, Space ticks it
        robot.interact(() -> node(robot, "#policy-web-automation-record-input", Node.class).requestFocus());
        robot.type(KeyCode.SPACE);
        assertFalse(node(robot, "#policy-save", Node.class).isDisabled());
        click(robot, "#policy-save");
        Await.until(fx(() -> app.service.policies().profile(ToolProfile.WEB_AUTOMATION).maxTtlSeconds() == 7200), WAIT, "max TTL 7200 stored");
        assertTrue(app.service.policies().profile(ToolProfile.WEB_AUTOMATION).recordInput());
        var updated = app.service.events(new EventQuery(Optional.empty(), 10, Optional.empty(),
                Set.of(EventTypes.POLICY_UPDATED), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty())).events();
        assertEquals(1, updated.size(), "one profile changed: one policy.updated event");
        Await.until(fx(() -> node(robot, "#policy-save", Node.class).isDisabled()), WAIT, "Save off again");
        assertEquals("Saved", text(robot, "#policy-saved-note"));
    }

    @Test
    void fileAccessIsEditedPerProfileCheckedAsTypedAndSaved(FxRobot robot) throws Exception {
        openPolicies(robot);
        TextField upload = node(robot, "#policy-locked-max-upload-mib", TextField.class);
        assertEquals("512", UiHarness.onFx(upload::getText), "the locked profile's upload limit");
        assertFalse(UiHarness.onFx(() -> node(robot, "#policy-locked-viewers-download", javafx.scene.control.CheckBox.class)
                .isSelected()), "locked: viewers do not download");

        // below the fold: focused (which scrolls it into sight) and set, as typing it would
        robot.interact(() -> {
            upload.requestFocus();
            upload.setText("0");
        });
        Await.until(fx(() -> upload.getPseudoClassStates().contains(Styles.STATE_DANGER)), WAIT, "0 MiB marked invalid");
        assertTrue(node(robot, "#policy-save", Node.class).isDisabled(), "nothing invalid is saved");

        robot.interact(() -> upload.setText("64"));
        robot.interact(() -> node(robot, "#policy-locked-viewers-download", Node.class).requestFocus());
        robot.type(KeyCode.SPACE);
        click(robot, "#policy-save");
        Await.until(fx(() -> app.service.policies().profile(ToolProfile.LOCKED).files()
                .equals(new dev.runnerdesk.core.FileAccess(true, 64))), WAIT, "64 MiB and viewers downloading stored");
        assertEquals(512, app.service.policies().profile(ToolProfile.WEB_AUTOMATION).files().maxUploadMib() / 2,
                "the other profiles keep theirs");
    }

    @Test
    void theRolesTabShowsTheAuditorBetweenViewerAndOperatorWithWhatItMayDo(FxRobot robot) throws Exception {
        app.runtime.apiKeys().create("audit-bot", Role.AUDITOR);
        openPolicies(robot);
        robot.interact(() -> node(robot, "#policy-tabs", TabPane.class).getSelectionModel().select(2));
        Pane roles = node(robot, "#policy-roles", Pane.class);
        List<String> names = roles.getChildren().stream().map(box -> ((Label) ((VBox) box).getChildren().get(0)).getText()).toList();
        assertEquals(List.of("viewer", "auditor", "operator", "admin  (your role)"), names);
        for (String may : List.of("read", "audit")) {
            Label l = node(robot, "#policy-role-auditor-" + may, Label.class);
            assertTrue(l.getStyleClass().contains(Styles.SUCCESS), may);
        }
        for (String mayNot : List.of("operate", "administer")) {
            Label l = node(robot, "#policy-role-auditor-" + mayNot, Label.class);
            assertTrue(l.getStyleClass().contains(Styles.TEXT_MUTED), mayNot);
        }
        assertEquals("verify the audit trail, read its checkpoints and every terminal recording, export it",
                text(robot, "#policy-role-auditor-audit"));
        assertTrue(node(robot, "#policy-role-operator-audit", Label.class).getStyleClass()
                .contains(Styles.TEXT_MUTED), "an operator may not audit");
        @SuppressWarnings("unchecked")
        TableView<Member> members = node(robot, "#policy-members", TableView.class);
        Await.until(fx(() -> members.getItems().stream()
                .anyMatch(m -> m.name().equals("audit-bot") && m.role() == Role.AUDITOR)), WAIT, "the auditor key among the members");
    }

    @Test
    void recordingsReadableByOffersViewerOperatorAndAdminOnly(FxRobot robot) throws Exception {
        openPolicies(robot);
        @SuppressWarnings("unchecked")
        ComboBox<Role> readers = node(robot, "#policy-locked-recording-readers", ComboBox.class);
        assertEquals(List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN), readers.getItems());
    }
}
