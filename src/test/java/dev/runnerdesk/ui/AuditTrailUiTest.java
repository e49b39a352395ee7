package dev.runnerdesk.ui;

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
import dev.runnerdesk.testutil.MutableClock;
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
import org.testfx.util.WaitForAsyncUtils;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

    private static <T extends Node> T node(FxRobot robot, String id, Class<T> type) {
        return UiHarness.onFx(() -> robot.lookup(id).queryAs(type));
    }

    private static String text(FxRobot robot, String id) {
        return UiHarness.onFx(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    private static String badge(FxRobot robot) {
        return text(robot, "#timeline-chain-badge");
    }

    private static String badgeDetail(FxRobot robot) {
        return UiHarness.onFx(() -> {
            var tip = robot.lookup("#timeline-chain-badge").queryAs(Label.class).getTooltip();
            return tip == null ? "" : tip.getText();
        });
    }

    private static boolean shown(FxRobot robot, String id) {
        return UiHarness.onFx(() -> robot.lookup(id).tryQuery().map(Node::isVisible).orElse(false));
    }

    @SuppressWarnings("unchecked")
    private static TableView<dev.runnerdesk.core.AuditEvent> table(FxRobot robot) {
        return robot.lookup("#timeline-table").queryAs(TableView.class);
    }

    private static void waitFor(int seconds, java.util.concurrent.Callable<Boolean> condition, java.util.function.Supplier<String> what)
            throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; " + what.get(), e);
        }
    }

    private void open(FxRobot robot, MainWindow.View view) {
        robot.interact(() -> app.window.navigate(view));
        WaitForAsyncUtils.waitForFxEvents();
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
        waitFor(10, () -> UiHarness.onFx(() -> app.window.connection().whoamiProperty().get() != null
                && app.window.connection().whoamiProperty().get().role() == who.role()), () -> "role " + who.role());
    }

    @Test
    void theBadgeSaysHowFarTheChainIsVerifiedAndSignedAndKeepsItCurrent(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        long signed = app.runtime.checkpointAudit().orElseThrow().seq();
        open(robot, MainWindow.View.TIMELINE);
        String expected = String.format(Locale.ROOT, "verified and signed to seq %,d · just now", signed);
        waitFor(10, () -> badge(robot).equals(expected), () -> "badge: " + badge(robot));
        assertTrue(node(robot, "#timeline-chain-badge", Label.class).getStyleClass().contains("chain-verified"));
        assertTrue(badgeDetail(robot).contains("Checkpoint 1 signed seq " + signed), badgeDetail(robot));

        // two minutes on, a new event: chained and shown, not signed yet
        clock.advance(Duration.ofMinutes(2));
        exec(s, "echo", "two");
        waitFor(10, () -> badge(robot).equals(String.format(Locale.ROOT, "verified and signed to seq %,d · 2 min ago", signed))
                && badgeDetail(robot).contains("1 newer event is not signed yet"), () -> badge(robot) + " / " + badgeDetail(robot));
    }

    @Test
    void eventsHashedBeforeRfc8785AreNotAFalseAlarm(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        app.runtime.checkpointAudit().orElseThrow();
        // an event as an earlier RunnerDesk wrote it: a fraction, hashed in the form used before RFC 8785, with the
        // seq up to which that form holds recorded as the upgrade records it
        long seq;
        try (java.sql.Connection c = AuditFill.open(app.runtime.dataDir()); java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.execute("BEGIN IMMEDIATE");
            String prev;
            try (java.sql.ResultSet rs = st.executeQuery("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")) {
                seq = rs.getLong(1) + 1;
                prev = rs.getString(2);
            }
            Instant at = clock.instant();
            java.util.Map<String, Object> data = java.util.Map.of("ratio", new java.math.BigDecimal("1E-7"));
            dev.runnerdesk.core.AuditEvent old = new dev.runnerdesk.core.AuditEvent(seq, "policy.updated", at, Optional.empty(),
                    Optional.empty(), "local", data, prev, "");
            try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO events (seq, event_type, timestamp, runner_id,"
                    + " session_id, actor, data, prev_hash, hash) VALUES (?, 'policy.updated', ?, NULL, NULL, 'local', ?, ?, ?)")) {
                insert.setLong(1, seq);
                insert.setLong(2, at.toEpochMilli());
                insert.setString(3, "{\"ratio\":0.0000001}");
                insert.setString(4, prev);
                insert.setString(5, dev.runnerdesk.core.AuditChain.legacyHash(old));
                insert.executeUpdate();
            }
            st.execute("UPDATE settings SET value = '" + seq + "' WHERE key = 'audit.legacy_form_until_seq'");
            st.execute("COMMIT");
        }
        assertTrue(app.runtime.verifyAuditChain().isVerified(), app.runtime.verifyAuditChain().describe());
        open(robot, MainWindow.View.TIMELINE);
        waitFor(10, () -> badge(robot).startsWith("verified"), () -> "badge: " + badge(robot));
        exec(s, "echo", "two"); // a live event linked to the old one
        waitFor(10, () -> table(robot).getItems().size() == seq + 1, () -> "rows: " + table(robot).getItems().size());
        assertTrue(badge(robot).startsWith("verified"), badge(robot));
    }

    @Test
    void deletingTheNewestSignedEventsTurnsTheBadgeRed(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        exec(s, "echo", "two");
        long signed = app.runtime.checkpointAudit().orElseThrow().seq();
        open(robot, MainWindow.View.TIMELINE);
        waitFor(10, () -> badge(robot).startsWith("verified and signed"), () -> "badge: " + badge(robot));

        AuditFill.truncateAfter(app.runtime.dataDir(), signed - 2);
        robot.interact(() -> app.window.timeline().reload());
        // the events left still link up; the signed checkpoint is what shows two are gone
        String expected = String.format(Locale.ROOT, "truncated at seq %,d", signed - 1);
        waitFor(10, () -> badge(robot).equals(expected), () -> "badge: " + badge(robot));
        assertTrue(node(robot, "#timeline-chain-badge", Label.class).getStyleClass().contains("chain-broken"));
        assertTrue(badgeDetail(robot).contains("the newest events were deleted"), badgeDetail(robot));
    }

    @Test
    void verifyAllChecksTheWholeTrailAndLeadsToWhereItFailed(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        exec(s, "echo", "two");
        long head = app.runtime.checkpointAudit().orElseThrow().seq();
        open(robot, MainWindow.View.TIMELINE);
        waitFor(10, () -> badge(robot).startsWith("verified and signed"), () -> "badge: " + badge(robot));

        robot.clickOn("#timeline-verify-all");
        String verified = String.format(Locale.ROOT, "Verified seq 1–%,d and 1 signed checkpoint · signed to seq %,d", head, head);
        waitFor(30, () -> text(robot, "#timeline-verify-result").startsWith(verified),
                () -> "result: " + text(robot, "#timeline-verify-result"));
        assertFalse(shown(robot, "#timeline-verify-progress"), "back to idle");
        assertFalse(shown(robot, "#timeline-verify-show-seq"), "nothing to show");
        assertFalse(node(robot, "#timeline-verify-all", Button.class).isDisabled());

        // an event altered behind the log's back: Verify all names it, and leads to it
        AuditFill.tamper(app.runtime.dataDir(), 2, "mallory");
        robot.clickOn("#timeline-verify-all");
        waitFor(30, () -> text(robot, "#timeline-verify-result").startsWith("Content changed at seq 2: "),
                () -> "result: " + text(robot, "#timeline-verify-result"));
        assertEquals("content changed at seq 2", badge(robot), "the badge keeps what Verify all found");
        assertTrue(node(robot, "#timeline-chain-badge", Label.class).getStyleClass().contains("chain-broken"));
        assertEquals("Show seq 2", UiHarness.onFx(() -> robot.lookup("#timeline-verify-show-seq")
                .queryAs(javafx.scene.control.Hyperlink.class).getText()));

        robot.clickOn("#timeline-verify-show-seq");
        waitFor(10, () -> UiHarness.onFx(() -> table(robot).getSelectionModel().getSelectedItem() != null
                && table(robot).getSelectionModel().getSelectedItem().seq() == 2), () -> "seq 2 selected");
        assertEquals("mallory", UiHarness.onFx(() -> table(robot).getSelectionModel().getSelectedItem().actor()));
        waitFor(5, () -> shown(robot, "#timeline-jump-latest"), () -> "the way back");
        assertEquals("Around seq 2 — back to the newest events",
                UiHarness.onFx(() -> robot.lookup("#timeline-jump-latest").queryAs(Button.class).getText()));
        robot.clickOn("#timeline-jump-latest");
        waitFor(10, () -> !shown(robot, "#timeline-jump-latest")
                && UiHarness.onFx(() -> !table(robot).getItems().isEmpty() && table(robot).getItems().get(0).seq() == head),
                () -> "newest events again");
    }

    @Test
    void cancelStopsVerifyingALargeTrailAndTheLineReturnsToIdle(FxRobot robot) throws Exception {
        Runner r = app.create();
        Instant t0 = clock.instant();
        AuditFill.append(app.runtime.dataDir(), 400_000, i -> new AuditFill.Row(EventTypes.COMMAND_EXECUTED, t0.plusMillis(i),
                r.runnerId(), "sess_000000000001", "local", Map.of("argv", List.of("echo", Integer.toString(i)), "exit_code", 0)));
        open(robot, MainWindow.View.TIMELINE);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> UiHarness.onFx(() -> table(robot).getItems().size() == 200));

        robot.clickOn("#timeline-verify-all");
        // some events checked, not all
        waitFor(60, () -> text(robot, "#timeline-verify-progress-text").matches("Verifying… \\d+ % · [\\d,]+ of 400,002 events"),
                () -> "progress: " + text(robot, "#timeline-verify-progress-text"));
        assertTrue(node(robot, "#timeline-verify-all", Button.class).isDisabled(), "one verification at a time");
        robot.clickOn("#timeline-verify-cancel");

        waitFor(5, () -> text(robot, "#timeline-verify-result").startsWith("Verification cancelled at seq "),
                () -> "result: " + text(robot, "#timeline-verify-result"));
        assertTrue(text(robot, "#timeline-verify-result").matches("Verification cancelled at seq [\\d,]+ of 400,002 \\(\\d+ %\\)"),
                text(robot, "#timeline-verify-result"));
        assertFalse(shown(robot, "#timeline-verify-progress"));
        assertFalse(shown(robot, "#timeline-verify-cancel"));
        assertFalse(node(robot, "#timeline-verify-all", Button.class).isDisabled(), "idle: it can run again");
        waitFor(5, () -> UiHarness.onFx(() -> app.tasks.running().stream()
                .noneMatch(t -> t.description().equals("Verifying the audit trail"))), () -> "the task is gone");
        assertTrue(badge(robot).startsWith("verified"), "a cancelled check finds nothing: " + badge(robot));
    }

    @Test
    void settingsShowTheChainAndItsKeyAndCopyTheKey(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        long signed = app.runtime.checkpointAudit().orElseThrow().seq();
        AuditStatus status = app.service.auditStatus();
        open(robot, MainWindow.View.SETTINGS);
        waitFor(10, () -> node(robot, "#audit-chain-id", TextField.class).getText().equals(status.chainId().orElseThrow()),
                () -> "chain id: " + node(robot, "#audit-chain-id", TextField.class).getText());
        assertEquals(status.publicKey().orElseThrow(), node(robot, "#audit-public-key", TextField.class).getText());
        assertEquals(status.keyId().orElseThrow(), text(robot, "#audit-key-id"));
        assertTrue(text(robot, "#audit-last-checkpoint").startsWith("checkpoint 1 · seq " + signed + " · "),
                text(robot, "#audit-last-checkpoint"));
        assertFalse(shown(robot, "#audit-signing-problem"));

        robot.interact(() -> robot.lookup("#settings").queryAs(ScrollPane.class).setVvalue(1.0));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#audit-copy-key");
        assertEquals(status.publicKey().orElseThrow(), UiHarness.onFx(() -> Clipboard.getSystemClipboard().getString()));
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
        waitFor(30, () -> text(robot, "#audit-export-status").startsWith("Wrote "), () -> "status: " + text(robot, "#audit-export-status"));
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
        waitFor(10, () -> badge(robot).startsWith("verified and signed"), () -> "badge: " + badge(robot));
        Button verify = node(robot, "#timeline-verify-all", Button.class);
        assertTrue(verify.isDisabled());
        assertEquals("Your role is viewer; verifying the audit trail needs auditor or admin", RoleGate.reasonShown(verify));

        open(robot, MainWindow.View.SETTINGS);
        waitFor(10, () -> !node(robot, "#audit-chain-id", TextField.class).getText().equals("—"), () -> "status read");
        Button export = node(robot, "#audit-export", Button.class);
        assertTrue(export.isDisabled());
        assertEquals("Your role is viewer; exporting the audit trail needs auditor or admin", RoleGate.reasonShown(export));

        // an auditor may
        connectAs(robot, new Principal("ada", Role.AUDITOR));
        open(robot, MainWindow.View.TIMELINE);
        waitFor(10, () -> !node(robot, "#timeline-verify-all", Button.class).isDisabled(), () -> "Verify all on");
        assertEquals("", RoleGate.reasonShown(node(robot, "#timeline-verify-all", Button.class)));
        robot.clickOn("#timeline-verify-all");
        waitFor(30, () -> text(robot, "#timeline-verify-result").startsWith("Verified seq 1–"),
                () -> "result: " + text(robot, "#timeline-verify-result"));
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
        waitFor(10, () -> UiHarness.onFx(() -> app.window.connection().health() == ActiveConnection.Health.ONLINE),
                () -> "online");

        open(robot, MainWindow.View.TIMELINE);
        waitFor(10, () -> badgeDetail(robot).contains("This gateway has no signed audit trail"),
                () -> badge(robot) + " / " + badgeDetail(robot));
        assertTrue(badge(robot).startsWith("verified"), badge(robot));
        Button verify = node(robot, "#timeline-verify-all", Button.class);
        assertTrue(verify.isDisabled());
        assertTrue(RoleGate.reasonShown(verify).startsWith("This gateway has no signed audit trail"), RoleGate.reasonShown(verify));

        open(robot, MainWindow.View.SETTINGS);
        waitFor(10, () -> text(robot, "#audit-settings-notice").startsWith("This gateway has no signed audit trail"),
                () -> "notice: " + text(robot, "#audit-settings-notice"));
        assertFalse(shown(robot, "#audit-settings-details"), "no empty fields where there is nothing to show");
        assertEquals(ActiveConnection.Health.ONLINE, UiHarness.onFx(() -> app.window.connection().health()),
                "a missing route is not an offline gateway");
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
