package dev.runnerdesk.ui.app;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gateway profiles added through Settings: the beta gate and an unreachable backend become banners. */
@ExtendWith(ApplicationExtension.class)
class ConnectionBannerTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;

    private EmbeddedRuntime gatewayData;
    private GatewayServer gateway;
    private String gatewayKey;
    private int port;

    /**
     * Gateway profiles reach a real `serve --beta-disabled` on a loopback port through the real client (the
     * URL typed in the profile stands for it). "Unreachable" is that port with no server behind it.
     */
    @Start
    void start(Stage stage) throws IOException {
        gatewayData = EmbeddedRuntimes.open(dataDir.resolve("gateway" + System.nanoTime()));
        gatewayKey = gatewayData.apiKeys().create("ui-test", Role.ADMIN);
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        app = new UiHarness(dataDir);
        app.create();
        // a key typed with "not_a_key" in it reaches the gateway as typed; any other stands for the gateway's own
        app.show(stage, app.factory((profile, key) -> new GatewayRunnerService(GatewayConnection.of(
                "http://127.0.0.1:" + port, key.filter(k -> k.contains("not_a_key")).orElse(gatewayKey), false))),
                Clock.systemUTC());
    }

    private void gatewayUp() throws IOException {
        gateway = new GatewayServer(gatewayData, GatewayServer.Options.defaults().withPort(port).withBetaDisabled(true)).start();
    }

    @AfterEach
    void stop() {
        app.close();
        if (gateway != null) {
            gateway.close();
        }
        gatewayData.close();
    }

    private void addGatewayAndConnect(FxRobot robot) throws Exception {
        click(robot, "#nav-settings");
        click(robot, "#profile-add");
        click(robot, "#profile-name").write("Team gateway");
        click(robot, "#profile-url").write("https://gateway.example.test");
        click(robot, "#profile-key").write("cm_sk_test_0123456789abcdef");
        click(robot, "#profile-save");
        @SuppressWarnings("unchecked")
        ListView<Object> list = node(robot, "#profile-list", ListView.class);
        // Save checks the connection first: an unreachable gateway is saved only through "Save anyway"
        Await.until(fx(() -> list.getItems().size() == 2 || visible(robot, "#profile-save-anyway")), WAIT,
                "the profile saved, or Save anyway offered");
        if (visible(robot, "#profile-save-anyway")) {
            assertTrue(text(robot, "#profile-editor-test-result").startsWith("✗ Unreachable: "),
                    text(robot, "#profile-editor-test-result"));
            robot.clickOn("#profile-save-anyway");
        }
        Await.until(fx(() -> list.getItems().size() == 2), WAIT, "both profiles in the list");
        robot.interact(() -> list.getSelectionModel().select(1));
        click(robot, "#profile-connect");
    }

    @Test
    void aGatewayWithoutBetaAccessShowsTheBetaBannerAndHidesRunnerActions(FxRobot robot) throws Exception {
        gatewayUp();
        assertTrue(node(robot, "#create-runner", Node.class).isVisible());
        addGatewayAndConnect(robot);
        Await.until(fx(() -> visible(robot, "#beta-banner")), WAIT, "the beta banner");
        click(robot, "#nav-runners");
        assertTrue(visible(robot, "#beta-banner"));
        assertFalse(node(robot, "#create-runner", Node.class).isVisible(), "runner actions are hidden");
        assertFalse(node(robot, "#terminate-selected", Node.class).isVisible());
        assertTrue(text(robot, "#status-connection").contains("no beta access"));
        assertTrue(UiHarness.table(robot).getItems().isEmpty(), "nothing of the previous backend is left");

        // the key went to the secret store, never into the saved profiles
        String profiles = app.settings.get(UiPreferences.PROFILES).orElse("");
        Await.until(fx(() -> app.settings.get(UiPreferences.PROFILES).isPresent()), WAIT, "the profiles saved");
        profiles = app.settings.get(UiPreferences.PROFILES).orElseThrow();
        assertTrue(profiles.contains("Team gateway"));
        assertFalse(profiles.contains("cm_sk_test"), "no key in the settings");
        String id = app.window.connection().profile().id();
        assertTrue(app.storedKey(id).filter("cm_sk_test_0123456789abcdef"::equals).isPresent());

        // back to this computer: instant, the list reloads, the banner goes
        click(robot, "#banner-use-local");
        Await.until(fx(() -> UiHarness.table(robot).getItems().size() == 1), WAIT, "the embedded runner listed");
        assertFalse(visible(robot, "#beta-banner"));
        assertTrue(node(robot, "#create-runner", Node.class).isVisible());
    }

    @Test
    void anUnreachableGatewayShowsTheOfflineBannerWithRetry(FxRobot robot) throws Exception {
        addGatewayAndConnect(robot);
        Await.until(fx(() -> visible(robot, "#offline-banner") && visible(robot, "#banner-retry")), WAIT, "the offline banner with Retry");
        Await.until(fx(() -> text(robot, "#status-connection").contains("retrying")), WAIT, "the status bar counting down to a retry");
        // it comes back: the retry finds the gateway (which, here, has no beta for us)
        gatewayUp();
        // pressed on the FX thread: a click would measure the banner from this thread while its countdown
        // text changes on the FX thread, which JavaFX's text layout does not survive
        Button retry = node(robot, "#banner-retry", Button.class);
        robot.interact(retry::fire);
        Await.until(fx(() -> visible(robot, "#beta-banner")), WAIT, "the beta banner");
    }

    @Test
    void testConnectionShowsRoleAndBetaAccess(FxRobot robot) throws Exception {
        gatewayUp();
        click(robot, "#nav-settings");
        click(robot, "#profile-add");
        click(robot, "#profile-name").write("Team gateway");
        click(robot, "#profile-url").write("http://gateway.example.test");
        assertTrue(node(robot, "#profile-save", Node.class).isDisabled(), "plain http to another host needs “allow insecure”");
        click(robot, "#profile-insecure");
        click(robot, "#profile-editor-test");
        Await.until(fx(() -> robot.lookup("#profile-editor-test-result")
                .queryAs(Label.class).getText().contains("beta access no")), WAIT, "the test result saying beta access no");
        click(robot, "#profile-cancel");
    }

    @Test
    void saveRefusesAKeyTheGatewayRefusesAndSaysWhyWithoutClassNames(FxRobot robot) throws Exception {
        gatewayUp();
        robot.clickOn("#nav-settings");
        robot.clickOn("#profile-add");
        assertEquals("", text(robot, "#profile-error"), "nothing is wrong before any typing");
        robot.clickOn("#profile-url");
        robot.clickOn("#profile-name");
        Await.until(fx(() -> text(robot, "#profile-error").equals("Give the connection a name.")), WAIT,
                "the name asked for once a field was left empty");
        robot.write("Team gateway");
        robot.clickOn("#profile-url").write("http://localhost:" + port);
        robot.clickOn("#profile-key").write("cm_sk_not_a_key_of_this_gateway");
        robot.clickOn("#profile-save");
        Await.until(fx(() -> text(robot, "#profile-editor-test-result").startsWith("✗ API key refused: ")), WAIT,
                "Save tried the key and says why it is not saved");
        String said = text(robot, "#profile-editor-test-result");
        assertFalse(said.matches(".*\\b[A-Z][a-z]+[A-Z]\\w*: .*"), "no class name: " + said);
        assertFalse(visible(robot, "#profile-save-anyway"), "a refused key is never saved anyway");
        assertFalse(windowsWithRoot(robot, "profile-editor").isEmpty(), "the dialog stays open");
        robot.clickOn("#profile-cancel");
    }

    private static boolean visible(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().map(Node::isVisible).orElse(false));
    }

}
