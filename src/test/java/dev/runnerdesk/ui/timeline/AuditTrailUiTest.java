package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.testutil.AuditFill;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.wire.AuditExportVerifier;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
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

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signed audit trail in the window, against the real embedded runtime (fake provider), headless: the chain
 * badge, Verify all with its progress and Cancel, and Settings → Audit with Copy and Export.
 */
@ExtendWith(ApplicationExtension.class)
class AuditTrailUiTest {
    @TempDir
    static Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    /** Who "This computer" connects as; a test changes it and connects again. */
    private volatile Principal principal = Principal.localUser();
    /** A gateway without the audit endpoints, for the test that needs one. */
    private MockWebServer gateway;
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir, clock);
        app.show(stage, (profile, key) -> profile.kind() == ConnectionProfile.Kind.EMBEDDED ? app.runtime.serviceFor(principal)
                : new GatewayRunnerService(GatewayConnection.of(gateway.url("/").toString(), "cm_sk_noaudit", false)), clock);
    }

    @AfterEach
    void stop() {
        app.close();
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String badge(FxRobot robot) {
        return text(robot, "#timeline-chain-badge");
    }

    private static String badgeDetail(FxRobot robot) {
        Label badge = node(robot, "#timeline-chain-badge", Label.class);
        return onFx(() -> badge.getTooltip() == null ? "" : badge.getTooltip().getText());
    }

    private static boolean shown(FxRobot robot, String id) {
        return onFx(() -> robot.lookup(id).tryQuery().map(Node::isVisible).orElse(false));
    }

    @SuppressWarnings("unchecked")
    private static TableView<AuditEvent> table(FxRobot robot) {
        return node(robot, "#timeline-table", TableView.class);
    }

    private void open(FxRobot robot, MainWindow.View view) {
        app.open(robot, view, view == MainWindow.View.TIMELINE ? "#timeline-table" : "#audit-settings");
    }

    private Session runnerWithSession() {
        Runner r = app.create();
        return app.service.startSession(r.runnerId(), Optional.empty());
    }

    private void exec(Session s, String... argv) {
        app.service.exec(s.runnerId(), s.sessionId(), new ExecRequest(List.of(argv)));
    }

    /** Connects "This computer" again as {@code who} and waits until whoami says so. */
    private void connectAs(FxRobot robot, Principal who) throws Exception {
        principal = who;
        robot.interact(() -> app.window.connection().connect(ConnectionProfile.thisComputer()));
        Await.until(fx(() -> app.window.connection().whoamiProperty().get() != null
                && app.window.connection().whoamiProperty().get().role() == who.role()), WAIT, () -> "role " + who.role());
    }

    @Test
    void theBadgeSaysHowFarTheChainIsVerifiedAndSignedAndKeepsItCurrent(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        long signed = app.runtime.checkpointAudit().orElseThrow().seq();
        open(robot, MainWindow.View.TIMELINE);
        String expected = String.format(Locale.ROOT, "verified and signed to seq %,d · just now", signed);
        Await.until(fx(() -> badge(robot).equals(expected)), WAIT, () -> "badge: " + badge(robot));
        assertTrue(onFx(() -> node(robot, "#timeline-chain-badge", Label.class).getStyleClass().contains("chain-verified")));
        assertTrue(badgeDetail(robot).contains("Checkpoint 1 signed seq " + signed), badgeDetail(robot));

        // two minutes on, a new event: chained and shown, not signed yet
        clock.advance(Duration.ofMinutes(2));
        exec(s, "echo", "two");
        Await.until(fx(() -> badge(robot).equals(String.format(Locale.ROOT, "verified and signed to seq %,d · 2 min ago", signed))
                && badgeDetail(robot).contains("1 newer event is not signed yet")), WAIT, () -> badge(robot) + " / " + badgeDetail(robot));
    }

    @Test
    void verifyAllChecksTheWholeTrailAndLeadsToWhereItFailed(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        exec(s, "echo", "two");
        long head = app.runtime.checkpointAudit().orElseThrow().seq();
        open(robot, MainWindow.View.TIMELINE);
        Await.until(fx(() -> badge(robot).startsWith("verified and signed")), WAIT, () -> "badge: " + badge(robot));

        click(robot, "#timeline-verify-all");
        String verified = String.format(Locale.ROOT, "Verified seq 1–%,d and 1 signed checkpoint · signed to seq %,d", head, head);
        Await.until(fx(() -> text(robot, "#timeline-verify-result").startsWith(verified)), Duration.ofSeconds(30), () -> "result: " + text(robot, "#timeline-verify-result"));
        assertFalse(shown(robot, "#timeline-verify-progress"), "back to idle");
        assertFalse(shown(robot, "#timeline-verify-show-seq"), "nothing to show");
        assertFalse(onFx(() -> node(robot, "#timeline-verify-all", Button.class).isDisabled()));

        // an event altered behind the log's back: Verify all names it, and leads to it
        AuditFill.tamper(app.runtime.dataDir(), 2, "mallory");
        click(robot, "#timeline-verify-all");
        Await.until(fx(() -> text(robot, "#timeline-verify-result").startsWith("Content changed at seq 2: ")), Duration.ofSeconds(30), () -> "result: " + text(robot, "#timeline-verify-result"));
        assertEquals("content changed at seq 2", badge(robot), "the badge keeps what Verify all found");
        assertTrue(onFx(() -> node(robot, "#timeline-chain-badge", Label.class).getStyleClass().contains("chain-broken")));
        assertEquals("Show seq 2", text(robot, "#timeline-verify-show-seq"));

        click(robot, "#timeline-verify-show-seq");
        Await.until(fx(() -> table(robot).getSelectionModel().getSelectedItem() != null
                && table(robot).getSelectionModel().getSelectedItem().seq() == 2), WAIT, () -> "seq 2 selected");
        assertEquals("mallory", onFx(() -> table(robot).getSelectionModel().getSelectedItem().actor()));
        Await.until(fx(() -> shown(robot, "#timeline-jump-latest")), WAIT, () -> "the way back");
        assertEquals("Around seq 2 — back to the newest events",
                text(robot, "#timeline-jump-latest"));
        click(robot, "#timeline-jump-latest");
        Await.until(fx(() -> !shown(robot, "#timeline-jump-latest")
                && onFx(() -> !table(robot).getItems().isEmpty() && table(robot).getItems().get(0).seq() == head)), WAIT, () -> "newest events again");
    }

    @Test
    void cancelStopsVerifyingALargeTrailAndTheLineReturnsToIdle(FxRobot robot) throws Exception {
        Runner r = app.create();
        Instant t0 = clock.instant();
        AuditFill.append(app.runtime.dataDir(), 400_000, i -> new AuditFill.Row(EventTypes.COMMAND_EXECUTED, t0.plusMillis(i),
                r.runnerId(), "sess_000000000001", "local", Map.of("argv", List.of("echo", Integer.toString(i)), "exit_code", 0)));
        open(robot, MainWindow.View.TIMELINE);
        Await.until(fx(() -> table(robot).getItems().size() == 200), Duration.ofSeconds(20), "the first page");

        click(robot, "#timeline-verify-all");
        // some events checked, not all
        Await.until(fx(() -> text(robot, "#timeline-verify-progress-text").matches("Verifying… \\d+ % · [\\d,]+ of 400,002 events")), Duration.ofSeconds(60), () -> "progress: " + text(robot, "#timeline-verify-progress-text"));
        assertTrue(onFx(() -> node(robot, "#timeline-verify-all", Button.class).isDisabled()), "one verification at a time");
        click(robot, "#timeline-verify-cancel");

        Await.until(fx(() -> text(robot, "#timeline-verify-result").startsWith("Verification cancelled at seq ")), WAIT, () -> "result: " + text(robot, "#timeline-verify-result"));
        assertTrue(text(robot, "#timeline-verify-result").matches("Verification cancelled at seq [\\d,]+ of 400,002 \\(\\d+ %\\)"),
                text(robot, "#timeline-verify-result"));
        assertFalse(shown(robot, "#timeline-verify-progress"));
        assertFalse(shown(robot, "#timeline-verify-cancel"));
        assertFalse(onFx(() -> node(robot, "#timeline-verify-all", Button.class).isDisabled()), "idle: it can run again");
        Await.until(fx(() -> app.tasks.running().stream()
                .noneMatch(t -> t.description().equals("Verifying the audit trail"))), WAIT, () -> "the task is gone");
        assertTrue(badge(robot).startsWith("verified"), "a cancelled check finds nothing: " + badge(robot));
    }

    @Test
    void settingsShowTheChainAndItsKeyAndCopyTheKey(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        long signed = app.runtime.checkpointAudit().orElseThrow().seq();
        AuditStatus status = app.service.auditStatus();
        open(robot, MainWindow.View.SETTINGS);
        Await.until(fx(() -> node(robot, "#audit-chain-id", TextField.class).getText().equals(status.chainId().orElseThrow())), WAIT, () -> "chain id: " + node(robot, "#audit-chain-id", TextField.class).getText());
        assertEquals(status.publicKey().orElseThrow(), onFx(node(robot, "#audit-public-key", TextField.class)::getText));
        assertEquals(status.keyId().orElseThrow(), text(robot, "#audit-key-id"));
        assertTrue(text(robot, "#audit-last-checkpoint").startsWith("checkpoint 1 · seq " + signed + " · "),
                text(robot, "#audit-last-checkpoint"));
        assertFalse(shown(robot, "#audit-signing-problem"));

        robot.interact(() -> node(robot, "#settings", ScrollPane.class).setVvalue(1.0));
        click(robot, "#audit-copy-key");
        assertEquals(status.publicKey().orElseThrow(), onFx(() -> Clipboard.getSystemClipboard().getString()));
    }

    @Test
    void exportWritesAFileThatVerifiesOfflineAndNothingElse(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        exec(s, "echo", "two");
        long head = app.runtime.checkpointAudit().orElseThrow().seq();
        String publicKey = app.service.auditStatus().publicKey().orElseThrow();
        open(robot, MainWindow.View.SETTINGS);
        Path folder = Files.createDirectories(dataDir.resolve("exports-" + System.nanoTime()));
        Path file = folder.resolve("audit.jsonl");
        robot.interact(() -> app.window.settings().audit().export(file));
        Await.until(fx(() -> text(robot, "#audit-export-status").startsWith("Wrote ")), Duration.ofSeconds(30), () -> "status: " + text(robot, "#audit-export-status"));
        assertEquals(String.format(Locale.ROOT, "Wrote %d events (seq 1–%d) and 1 signed checkpoint to %s. runnerdesk audit "
                + "verify --file checks it offline.", head, head, file), text(robot, "#audit-export-status"));

        AuditExportVerifier.Checked checked;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            checked = AuditExportVerifier.verify(in, Optional.of(publicKey), AuditProgress.NONE);
        }
        assertTrue(checked.result() instanceof ChainVerification.Verified, checked.result().describe());
        ChainVerification.Verified v = (ChainVerification.Verified) checked.result();
        assertEquals(head, v.toSeq());
        assertEquals(head, v.signedToSeq());
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(List.of(file), left.toList(), "no partial file beside it");
        }
    }

    @Test
    void withoutTheAuditPermissionVerifyAllAndExportAreOffAndSayWhy(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        app.runtime.checkpointAudit();
        connectAs(robot, new Principal("eve", Role.VIEWER));
        open(robot, MainWindow.View.TIMELINE);
        // a viewer reads the status: the badge is the same for everyone
        Await.until(fx(() -> badge(robot).startsWith("verified and signed")), WAIT, () -> "badge: " + badge(robot));
        Button verify = node(robot, "#timeline-verify-all", Button.class);
        assertTrue(verify.isDisabled());
        assertEquals("Your role is viewer; verifying the audit trail needs auditor or admin", RoleGate.reasonShown(verify));

        open(robot, MainWindow.View.SETTINGS);
        Await.until(fx(() -> !node(robot, "#audit-chain-id", TextField.class).getText().equals("—")), WAIT, () -> "status read");
        Button export = node(robot, "#audit-export", Button.class);
        assertTrue(export.isDisabled());
        assertEquals("Your role is viewer; exporting the audit trail needs auditor or admin", RoleGate.reasonShown(export));

        // an auditor may
        connectAs(robot, new Principal("ada", Role.AUDITOR));
        open(robot, MainWindow.View.TIMELINE);
        Await.until(fx(() -> !node(robot, "#timeline-verify-all", Button.class).isDisabled()), WAIT, () -> "Verify all on");
        assertEquals("", RoleGate.reasonShown(node(robot, "#timeline-verify-all", Button.class)));
        click(robot, "#timeline-verify-all");
        Await.until(fx(() -> text(robot, "#timeline-verify-result").startsWith("Verified seq 1–")), Duration.ofSeconds(30), () -> "result: " + text(robot, "#timeline-verify-result"));
    }

    @Test
    void aGatewayWithoutTheAuditRoutesIsSaidPlainlyAndIsNotOffline(FxRobot robot) throws Exception {
        gateway = new MockWebServer();
        gateway.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                return switch (path) {
                    case "/v1/admin/me" -> json(200, "{\"name\":\"ci\",\"role\":\"admin\",\"beta_access\":true}");
                    case "/gateway/admin/runners/" -> json(200, "{\"runners\":[],\"total\":0}");
                    case "/gateway/admin/events/" -> json(200, "{\"events\":[],\"total\":0}");
                    default -> json(404, "{\"detail\":\"Not Found\"}"); // the audit routes among them
                };
            }
        });
        gateway.start(0);
        robot.interact(() -> app.window.connection().connect(ConnectionProfile.gateway("gw_plain", "Plain gateway",
                gateway.url("/").toString(), true)));
        Await.until(fx(() -> app.window.connection().health() == ActiveConnection.Health.ONLINE), WAIT, () -> "online");

        open(robot, MainWindow.View.TIMELINE);
        Await.until(fx(() -> badgeDetail(robot).contains("This gateway has no signed audit trail")), WAIT, () -> badge(robot) + " / " + badgeDetail(robot));
        assertTrue(badge(robot).startsWith("verified"), badge(robot));
        Button verify = node(robot, "#timeline-verify-all", Button.class);
        assertTrue(verify.isDisabled());
        assertTrue(RoleGate.reasonShown(verify).startsWith("This gateway has no signed audit trail"), RoleGate.reasonShown(verify));

        open(robot, MainWindow.View.SETTINGS);
        Await.until(fx(() -> text(robot, "#audit-settings-notice").startsWith("This gateway has no signed audit trail")), WAIT, () -> "notice: " + text(robot, "#audit-settings-notice"));
        assertFalse(shown(robot, "#audit-settings-details"), "no empty fields where there is nothing to show");
        assertEquals(ActiveConnection.Health.ONLINE, onFx(() -> app.window.connection().health()),
                "a missing route is not an offline gateway");
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
