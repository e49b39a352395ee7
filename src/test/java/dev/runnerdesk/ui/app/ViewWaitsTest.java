package dev.runnerdesk.ui.app;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.GatewayFixture;
import dev.runnerdesk.ui.StreamedAnswer;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.wire.AuditJson;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.wire.PolicyJson;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.table;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The views besides the runner list against a gateway that answers one of their loads slowly (issue 17, "a Cancel
 * on every wait"), through the real gateway client: the timeline's newest and older events, the policies, the audit
 * status (Settings and the timeline's badge) and the runner detail's events. Each wait says what it waits for and for
 * how long; Cancel aborts the request, says what was left undone, keeps what the view showed and the connection
 * online, and the view loads again afterwards.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(180)
class ViewWaitsTest {
    private static final String RUNNER = "runner_000000000000";
    /** How long an abort may take to reach the gateway: the slow answer's next write fails (100 ms apart). */
    private static final Duration ABORTED = Duration.ofSeconds(10);
    @TempDir
    static Path dataDir;
    private final StreamedAnswer answers = new StreamedAnswer();
    private volatile Supplier<MockResponse> newestEvents = () -> GatewayFixture.json(200, events(3, 3, 3));
    private volatile Supplier<MockResponse> olderEvents = () -> GatewayFixture.json(200, events(0, 0, 0));
    private volatile Supplier<MockResponse> runnerEvents = () -> GatewayFixture.json(200, events(2, 2, 2));
    private volatile Supplier<MockResponse> policies = () -> GatewayFixture.json(404, "{\"detail\":\"Not Found\"}");
    private volatile Supplier<MockResponse> auditStatus = () -> GatewayFixture.json(404, "{\"detail\":\"Not Found\"}");
    private final AtomicInteger statusReads = new AtomicInteger();
    /** The newest event the live polling of every runner finds (its pages of 1,000, or 1 for the newest). */
    private volatile int liveNewest;
    /** Polls of every runner's events that found {@link #liveNewest}, and those that came after them. */
    private final AtomicInteger livePolls = new AtomicInteger();
    private MockWebServer gateway;
    private UiHarness app;

    @Start
    void start(Stage stage) throws IOException {
        gateway = new MockWebServer();
        gateway.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        gateway.start(0);
        app = new UiHarness(dataDir);
        app.show(stage, GatewayFixture.gatewayOn(gateway), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        answers.close();
        app.close();
        gateway.close();
    }

    /** The gateway: one runner, a few events, and each view's route answered as the test says now. */
    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String limit = request.getUrl().queryParameter("limit");
        if (path.equals("/v1/admin/me")) {
            return GatewayFixture.json(200, "{\"name\":\"waits\",\"role\":\"admin\",\"beta_access\":true}");
        }
        if (path.equals("/gateway/admin/runners/")) {
            // the list, at once; counts by state (limit=1) are empty
            return "100".equals(limit) ? GatewayFixture.json(200, new String(StreamedAnswer.body(1, 200), StandardCharsets.UTF_8))
                    : GatewayFixture.json(200, "{\"runners\":[],\"total\":0,\"limit\":1,\"offset\":0}");
        }
        if (path.equals("/gateway/admin/runners/" + RUNNER)) {
            return GatewayFixture.json(200, StreamedAnswer.runner(0, 200, false));
        }
        if (path.equals("/gateway/admin/runners/" + RUNNER + "/events")) {
            // the detail's page (200 events); its polling (1,000 at a time) is answered at once
            return "200".equals(limit) ? runnerEvents.get() : GatewayFixture.json(200, events(0, 0, 0));
        }
        if (path.equals("/gateway/admin/events/")) {
            // the timeline's pages (200 events); the live polling of every runner (1,000 at a time) at once
            if (!"200".equals(limit)) {
                livePolls.incrementAndGet();
                int asked = limit == null ? 1 : Integer.parseInt(limit);
                return GatewayFixture.json(200, events(liveNewest, Math.min(asked, liveNewest), liveNewest));
            }
            return request.getUrl().queryParameter("before") == null ? newestEvents.get() : olderEvents.get();
        }
        if (path.equals("/gateway/admin/policies")) {
            return policies.get();
        }
        if (path.equals("/gateway/admin/audit/status")) {
            statusReads.incrementAndGet();
            return auditStatus.get();
        }
        return GatewayFixture.json(404, "{\"detail\":\"Not Found\"}"); // streams, members, providers: polled instead
    }

    /** {@code json} after a minute of whitespace sent a byte at a time: a gateway that takes far too long to answer. */
    private MockResponse slow(String json) {
        byte[] body = (" ".repeat(600) + json).getBytes(StandardCharsets.UTF_8);
        return answers.list(body, 1, 100);
    }

    /** A page of {@code count} events, newest first from seq {@code newest}, of {@code total}. */
    private static String events(long newest, int count, long total) {
        StringBuilder json = new StringBuilder("{\"events\":[");
        for (int i = 0; i < count; i++) {
            long seq = newest - i;
            json.append(i > 0 ? "," : "").append("{\"seq\":").append(seq)
                    .append(",\"event_type\":\"runner.created\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"runner_id\":\"")
                    .append(RUNNER).append("\",\"actor\":\"waits\",\"data\":{},\"prev_hash\":\"p").append(seq - 1)
                    .append("\",\"hash\":\"p").append(seq).append("\"}");
        }
        return json.append("],\"total\":").append(total).append('}').toString();
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What the wait {@code id} shows now ("" when hidden). */
    private static String waitText(FxRobot robot, String id) {
        return onFx(() -> node(robot, "#" + id, Node.class).isVisible() ? text(robot, "#" + id + "-text") : "");
    }

    /** The wait {@code id} says what it waits for and counts the seconds; Cancel then stops it and says {@code undone}. */
    private void cancelTheWait(FxRobot robot, String id, String waitsTo, String undone) {
        String waiting = "Waiting for .+ to " + waitsTo + "… \\d+ s";
        Await.until(() -> waitText(robot, id).matches(waiting), WAIT, () -> "the wait with its seconds: " + waitText(robot, id));
        assertEquals(1, answers.streaming(), "the slow answer is being sent");
        click(robot, "#" + id + "-cancel");
        Await.until(() -> waitText(robot, id).equals(undone), WAIT, () -> "the cancel said: " + waitText(robot, id));
        // the answer would take a minute: the request was aborted, not left to read on in the background
        Await.until(() -> answers.streaming() == 0, ABORTED, "the request aborted");
        assertEquals(ActiveConnection.Health.ONLINE, onFx(() -> app.window.connection().health()),
                "a cancel is not the gateway going offline");
    }

    @SuppressWarnings("unchecked")
    private static TableView<AuditEvent> timelineTable(FxRobot robot) {
        return node(robot, "#timeline-table", TableView.class);
    }

    private static int timelineRows(FxRobot robot) {
        return onFx(() -> timelineTable(robot).getItems().size());
    }

    @Test
    void aCancelledFirstTimelinePageSaysSoInTheTableAndF5LoadsIt(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the runner list");
        newestEvents = () -> slow(events(3, 3, 3));
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");

        cancelTheWait(robot, "timeline-wait", "load the events",
                "Cancelled — the events were not loaded; press F5 to try again");
        Await.until(() -> onFx(() -> text(robot, "#timeline-empty")).startsWith("The events were not loaded"), WAIT,
                () -> "the table says the load was cancelled: " + onFx(() -> text(robot, "#timeline-empty")));
        assertTrue(onFx(() -> text(robot, "#timeline-empty")).contains("F5"), "and how to load again");
        assertEquals(0, timelineRows(robot));

        newestEvents = () -> GatewayFixture.json(200, events(3, 3, 3));
        robot.interact(() -> timelineTable(robot).requestFocus());
        robot.type(KeyCode.F5);
        Await.until(() -> timelineRows(robot) == 3, WAIT, "the events loaded after the cancel");
        assertEquals("", waitText(robot, "timeline-wait"), "nothing waits");
    }

    @Test
    void aCancelledLoadForAnotherFilterLeavesNoEventsOfTheFilterBefore(FxRobot robot) {
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        Await.until(() -> timelineRows(robot) == 3, WAIT, "every runner's events");
        runnerEvents = () -> slow(events(2, 2, 2));
        robot.interact(() -> app.window.timeline().showRunner(RUNNER)); // the filter bar now says this runner

        cancelTheWait(robot, "timeline-wait", "load the events",
                "Cancelled — the events were not loaded; press F5 to try again");
        assertEquals(0, timelineRows(robot), "no events that answered the filter before");
        assertTrue(onFx(() -> text(robot, "#timeline-empty")).startsWith("The events were not loaded"),
                () -> onFx(() -> text(robot, "#timeline-empty")));

        runnerEvents = () -> GatewayFixture.json(200, events(2, 2, 2));
        robot.interact(() -> timelineTable(robot).requestFocus());
        robot.type(KeyCode.F5);
        Await.until(() -> timelineRows(robot) == 2, WAIT, "the runner's events loaded after the cancel");
    }

    @Test
    void liveEventsThatArriveWhileAFirstPageLoadsAreShownWhenItIsCancelled(FxRobot robot) {
        liveNewest = 3;
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        Await.until(() -> timelineRows(robot) == 3, WAIT, "the newest page");
        newestEvents = () -> slow(events(3, 3, 3));
        robot.interact(() -> timelineTable(robot).requestFocus());
        robot.type(KeyCode.F5);
        Await.until(() -> answers.streaming() == 1, WAIT, "the slow reload under way");
        // a new event while the page loads: live events wait for the page, which is then cancelled
        liveNewest = 4;
        int polled = livePolls.get(); // every poll counted after this finds it
        Await.until(() -> livePolls.get() >= polled + 2, Duration.ofSeconds(60),
                "the new event polled, and a poll after it (it reached the view)");

        cancelTheWait(robot, "timeline-wait", "load the events",
                "Cancelled — the events were not loaded; press F5 to try again");

        // the page will not come: what arrived meanwhile is shown, not held for it
        Await.until(() -> timelineRows(robot) == 4, WAIT, "the live event shown after the cancel");
        assertEquals(4L, (long) onFx(() -> timelineTable(robot).getItems().get(0).seq()));
    }

    @Test
    void aCancelledLoadOfOlderEventsKeepsTheEventsShown(FxRobot robot) {
        newestEvents = () -> GatewayFixture.json(200, events(1000, 200, 1000));
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        Await.until(() -> timelineRows(robot) == 200, WAIT, "the newest page");
        olderEvents = () -> slow(events(800, 200, 1000));
        robot.interact(() -> app.window.timeline().loadMore());

        cancelTheWait(robot, "timeline-wait", "load older events",
                "Cancelled — older events were not loaded; those shown stay");
        assertEquals(200, timelineRows(robot), "the events shown stay");

        olderEvents = () -> GatewayFixture.json(200, events(800, 200, 1000));
        robot.interact(() -> app.window.timeline().loadMore());
        Await.until(() -> timelineRows(robot) == 400, WAIT, "the older events loaded after the cancel");
        assertEquals("", waitText(robot, "timeline-wait"), "nothing waits");
    }

    @Test
    void aSlowPolicyLoadCanBeCancelledAndF5LoadsThem(FxRobot robot) {
        Policies stored = app.service.policies();
        String body = json(PolicyJson.toMap(stored));
        policies = () -> slow(body);
        app.open(robot, MainWindow.View.POLICIES, "#policies");

        cancelTheWait(robot, "policy-wait", "load the policies",
                "Cancelled — the policies were not loaded; press F5 to try again");
        assertEquals("", onFx(() -> node(robot, "#policy-locked-max-ttl", TextField.class).getText()), "nothing loaded");

        policies = () -> GatewayFixture.json(200, body);
        robot.interact(() -> node(robot, "#policy-refresh", Button.class).requestFocus());
        robot.type(KeyCode.F5);
        String ttl = Integer.toString(stored.profile(ToolProfile.LOCKED).maxTtlSeconds());
        Await.until(fx(() -> node(robot, "#policy-locked-max-ttl", TextField.class).getText().equals(ttl)), WAIT,
                "the policies loaded after the cancel");
        assertEquals("", waitText(robot, "policy-wait"), "nothing waits");
    }

    @Test
    void aSlowAuditStatusInSettingsCanBeCancelledAndRefreshReadsIt(FxRobot robot) {
        AuditStatus status = app.service.auditStatus();
        String body = json(AuditJson.status(status));
        auditStatus = () -> slow(body);
        app.open(robot, MainWindow.View.SETTINGS, "#audit-settings");
        // the audit section may be below the fold of the settings page: its Cancel is pressed as a click would
        String waiting = "Waiting for .+ to read the audit status… \\d+ s";
        Await.until(() -> waitText(robot, "audit-settings-wait").matches(waiting), WAIT,
                () -> "the wait with its seconds: " + waitText(robot, "audit-settings-wait"));
        assertEquals(1, answers.streaming(), "the slow answer is being sent");
        robot.interact(() -> node(robot, "#audit-settings-wait-cancel", Button.class).fire());
        Await.until(() -> waitText(robot, "audit-settings-wait").equals("Cancelled — the audit status was not read; "
                + "the refresh button beside the title reads it again"), WAIT, () -> "the cancel said: "
                + waitText(robot, "audit-settings-wait"));
        Await.until(() -> answers.streaming() == 0, ABORTED, "the request aborted");
        assertEquals(ActiveConnection.Health.ONLINE, onFx(() -> app.window.connection().health()));

        auditStatus = () -> GatewayFixture.json(200, body);
        robot.interact(() -> node(robot, "#audit-refresh", Button.class).fire());
        String chain = status.chainId().orElse("none yet");
        Await.until(fx(() -> node(robot, "#audit-chain-id", TextField.class).getText().equals(chain)), WAIT,
                "the status read after the cancel");
        assertEquals("", waitText(robot, "audit-settings-wait"), "nothing waits");
    }

    @Test
    void aSlowAuditStatusReadOfTheTimelineBadgeCanBeCancelled(FxRobot robot) {
        newestEvents = () -> GatewayFixture.json(200, events(0, 0, 0));
        auditStatus = () -> slow(json(AuditJson.status(app.service.auditStatus())));
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");

        cancelTheWait(robot, "timeline-audit-wait", "read the audit status",
                "Cancelled — the audit status was not read, so the badge may be out of date; it is read again within a minute");

        // read again when the view is shown again, and answered
        auditStatus = () -> GatewayFixture.json(404, "{\"detail\":\"Not Found\"}");
        int reads = statusReads.get();
        app.open(robot, MainWindow.View.RUNNERS, "#runner-table");
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        Await.until(() -> statusReads.get() > reads && waitText(robot, "timeline-audit-wait").isEmpty(), WAIT,
                "the status read again");
    }

    @Test
    void aSlowLoadOfARunnersEventsCanBeCancelledAndF5LoadsThem(FxRobot robot) {
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the runner list");
        runnerEvents = () -> slow(events(2, 2, 2));
        robot.interact(() -> table(robot).getSelectionModel().select(0));

        cancelTheWait(robot, "detail-events-wait", "load the events of " + RUNNER,
                "Cancelled — the events of " + RUNNER + " were not loaded; press F5 to try again");

        runnerEvents = () -> GatewayFixture.json(200, events(2, 2, 2));
        robot.interact(() -> table(robot).requestFocus());
        robot.type(KeyCode.F5);
        Await.until(fx(() -> node(robot, "#detail-events", ListView.class).getItems().size() == 2), WAIT,
                "the runner's events loaded after the cancel");
        assertEquals("", waitText(robot, "detail-events-wait"), "nothing waits");
    }
}
