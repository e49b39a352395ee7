package dev.runnerdesk.ui.app;

import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.GatewayFixture;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.scene.Node;
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
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.table;
import static dev.runnerdesk.ui.UiHarness.text;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connecting to a gateway and acting on runners against a gateway that does not answer (issue 17, finding 4), through
 * the real gateway client: each wait says what it waits for with Cancel, and a cancelled action — which may still have
 * happened on the gateway — says so and reads the list again instead of inviting a repeat.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class ActionWaitsTest {
    private static final String READY = "{\"runner_id\":\"r-ready\",\"state\":\"ready\",\"provider_type\":\"fake\","
            + "\"tool_profile\":\"locked\",\"ttl_seconds\":3600,\"created_at\":\"2026-01-01T00:00:00Z\"}";
    @TempDir
    static Path dataDir;
    private MockWebServer gateway;
    private UiHarness app;
    private Stage stage;
    /** While set, "who am I" (the connection's first call) is not answered for a minute. */
    private volatile boolean silentWhoami = true;
    /** While set, the providers route does not answer. */
    private volatile boolean silentProviders;
    /** Every request, as "METHOD path". */
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        gateway = new MockWebServer();
        gateway.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                asked.add(request.getMethod() + " " + path);
                MockResponse never = GatewayFixture.json(200, "{}").newBuilder().headersDelay(60, TimeUnit.SECONDS).build();
                if (path.equals("/v1/admin/me")) {
                    return silentWhoami ? never
                            : GatewayFixture.json(200, "{\"name\":\"waits\",\"role\":\"admin\",\"beta_access\":true}");
                }
                if (path.equals("/gateway/admin/providers")) {
                    return silentProviders ? never : GatewayFixture.json(404, "{\"detail\":\"Not Found\"}");
                }
                if (request.getMethod().equals("POST") && path.equals("/gateway/admin/runners/")) {
                    return GatewayFixture.json(201, "{\"runner_id\": garbled"); // a create whose answer cannot be read
                }
                if (request.getMethod().equals("POST")) {
                    return never; // start, stop, terminate: sent, never answered
                }
                if (path.equals("/gateway/admin/runners/")) {
                    return GatewayFixture.json(200, "{\"runners\":[" + READY + "],\"total\":1,\"limit\":100,\"offset\":0}");
                }
                if (path.equals("/gateway/admin/runners/r-ready")) {
                    return GatewayFixture.json(200, READY);
                }
                if (path.startsWith("/gateway/admin/events") || path.endsWith("/events")) {
                    return GatewayFixture.json(200, "{\"events\":[],\"total\":0}");
                }
                return GatewayFixture.json(404, "{\"detail\":\"Not Found\"}");
            }
        });
        gateway.start(0);
        app = new UiHarness(dataDir);
        app.secrets.put(app.gatewayProfile(gateway.url("/").toString(), true).secretName(), "cm_sk_actionwaits_0123456789");
        app.show(stage, app.gatewayClient(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
        gateway.close();
    }

    private String host() {
        return gateway.getHostName() + ":" + gateway.getPort();
    }

    private static String shown(FxRobot robot, String id) {
        return onFx(() -> node(robot, "#" + id, Node.class).isVisible() ? text(robot, "#" + id + "-text") : "");
    }

    private ActiveConnection.Health health() {
        return onFx(() -> app.window.connection().health());
    }

    private long listReads() {
        return asked.stream().filter(a -> a.equals("GET /gateway/admin/runners/")).count();
    }

    @Test
    void aGatewaySlowToConnectShowsWhatItWaitsForAndCancelStopsIt(FxRobot robot) {
        Await.until(() -> shown(robot, "connect-wait").matches("Waiting for " + host() + " to answer… \\d+ s"), WAIT,
                () -> "the connecting banner's wait: " + shown(robot, "connect-wait"));
        assertTrue(onFx(() -> robot.lookup("#connecting-banner .label").queryAll().stream()
                .anyMatch(l -> ((javafx.scene.control.Label) l).getText().startsWith("Connecting to Team gateway (http"))), "says where");
        assertEquals(ActiveConnection.Health.CONNECTING, health());

        click(robot, "#connect-wait-cancel");
        Await.until(() -> health() == ActiveConnection.Health.FAILED, WAIT, "connecting abandoned");
        Await.until(() -> !robot.lookup("#connection-failed-banner").queryAll().isEmpty(), WAIT, "the banner says it");
        assertTrue(onFx(() -> app.window.connection().problemProperty().get()).startsWith("connecting was cancelled"));
        assertEquals("", shown(robot, "connect-wait"), "no wait left in the banner");

        silentWhoami = false; // the gateway answers now: Retry connects
        click(robot, "#banner-retry");
        Await.until(() -> health() == ActiveConnection.Health.ONLINE, WAIT, "online after Retry");
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the list loaded");
    }

    private void online(FxRobot robot) {
        silentWhoami = false;
        onFx(() -> {
            app.window.connection().retry();
            return null;
        });
        Await.until(() -> health() == ActiveConnection.Health.ONLINE, WAIT, "online");
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the runner listed");
        robot.interact(() -> table(robot).getSelectionModel().select(0));
        Await.until(fx(() -> node(robot, "#detail-start-session", Node.class).isVisible()), WAIT, "the detail shown");
    }

    @Test
    void aStartThatIsNotAnsweredCanBeCancelledAndSaysItMayHaveHappened(FxRobot robot) {
        online(robot);
        click(robot, "#detail-start-session");
        String waiting = "Waiting for " + host() + " to start a session on r-ready… \\d+ s";
        Await.until(() -> shown(robot, "runner-action-wait").matches(waiting), WAIT,
                () -> "the start's wait: " + shown(robot, "runner-action-wait"));
        long reads = listReads();

        click(robot, "#runner-action-wait-cancel");
        Await.until(() -> shown(robot, "runner-action-wait")
                        .equals("Cancelled — a session may have started on r-ready; the list was read again"), WAIT,
                () -> "the unknown outcome said: " + shown(robot, "runner-action-wait"));
        Await.until(() -> listReads() > reads, WAIT, "the list read again");
        assertEquals(1, asked.stream().filter(a -> a.equals("POST /gateway/admin/runners/r-ready/start")).count(),
                "one start sent, never again by itself");
        assertEquals(ActiveConnection.Health.ONLINE, health(), "a cancel is not the gateway going offline");
        List<String> said = onFx(() -> List.copyOf(app.window.notifier().history()));
        assertTrue(said.stream().noneMatch(m -> m.startsWith("error:")), "no error said: " + said);
    }

    @Test
    void aTerminateThatIsNotAnsweredCanBeCancelledInTheStatusBarToo(FxRobot robot) {
        online(robot);
        click(robot, "#detail-terminate");
        Await.until(fx(() -> windowsWithRoot(robot, "confirm-dialog").size() == 1), WAIT, "the confirmation");
        click(robot, "#confirm-ok");
        Await.until(() -> shown(robot, "runner-action-wait").matches("Waiting for " + host() + " to terminate r-ready… \\d+ s"),
                WAIT, () -> "the terminate's wait: " + shown(robot, "runner-action-wait"));

        // the status bar's cancel of the same task (its × cancels the task it shows) says the same
        robot.interact(() -> app.tasks.running().stream().filter(t -> t.description().equals("Terminating 1 runner"))
                .findFirst().orElseThrow().cancel());
        Await.until(() -> shown(robot, "runner-action-wait")
                        .equals("Cancelled — the runner may be terminated; the list was read again"), WAIT,
                () -> "the unknown outcome said: " + shown(robot, "runner-action-wait"));
        assertEquals(1, asked.stream().filter(a -> a.equals("POST /gateway/admin/runners/r-ready/terminate")).count(),
                "one terminate sent");
        robot.type(KeyCode.F5); // usable: the list reads again
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the list");
    }

    @Test
    void theCreateDialogSaysItWaitsForTheProvidersAndEscapeStopsWaitingFirst(FxRobot robot) {
        silentProviders = true;
        online(robot);
        click(robot, "#create-runner");
        Await.until(() -> onFx(() -> text(robot, "#create-wait-text")).matches("Waiting for " + host() + " to list its providers… \\d+ s"),
                WAIT, () -> "the providers' wait: " + onFx(() -> text(robot, "#create-wait-text")));
        robot.type(KeyCode.ESCAPE); // stops waiting; the dialog stays and says so
        Await.until(() -> onFx(() -> text(robot, "#create-wait-text")).startsWith("Cancelled — the providers were not loaded"),
                WAIT, () -> "the cancel said: " + onFx(() -> text(robot, "#create-wait-text")));
        assertEquals(1, windowsWithRoot(robot, "create-runner-dialog").size(), "the dialog stays open");
        robot.type(KeyCode.ESCAPE); // nothing waits: Escape closes it
        Await.until(() -> windowsWithRoot(robot, "create-runner-dialog").isEmpty(), WAIT, "the dialog closed");
    }

    @Test
    void aCreateWhoseAnswerIsUnreadableSaysSoWithTheDialogsButtonsWholeAtTheSmallestWindow(FxRobot robot) {
        online(robot);
        robot.interact(() -> {
            stage.setWidth(800);
            stage.setHeight(600);
        });
        click(robot, "#create-runner");
        Await.until(fx(() -> !node(robot, "#create-submit", Node.class).isDisabled()), WAIT, "the providers loaded");
        click(robot, "#create-submit");
        Await.until(() -> onFx(() -> text(robot, "#create-error")).contains("may have been created"), WAIT,
                () -> "the unknown outcome said: " + onFx(() -> text(robot, "#create-error")));
        for (String id : new String[] {"#create-submit", "#create-cancel", "#create-error"}) {
            // the dialog grows to fit the error a pulse later
            Await.until(() -> UiHarness.cutOff(robot, id).isEmpty(), WAIT, () -> id + " is whole inside the dialog after the"
                    + " error: " + UiHarness.cutOff(robot, id));
        }
        click(robot, "#create-cancel");
    }
}
