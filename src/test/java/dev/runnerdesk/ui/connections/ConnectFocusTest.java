package dev.runnerdesk.ui.connections;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
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

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Connect in Settings switches the app and leaves the focus where the person was, not in a key field further down. */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class ConnectFocusTest {
    @TempDir
    Path dir;
    private UiHarness app;
    private EmbeddedRuntime gatewayData;
    private GatewayServer gateway;

    @Start
    void start(Stage stage) throws IOException {
        gatewayData = EmbeddedRuntimes.open(dir.resolve("gateway"));
        String key = gatewayData.apiKeys().create("ui-test", Role.ADMIN);
        gateway = new GatewayServer(gatewayData, GatewayServer.Options.defaults().withPort(0)).start();
        app = new UiHarness(dir);
        app.secrets.put(app.gatewayProfile(gateway.baseUrl(), false).secretName(), key);
        app.show(stage, app.gatewayClient(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
        gateway.close();
        gatewayData.close();
    }

    @Test
    void afterConnectTheFocusStaysOnTheConnectionsList(FxRobot robot) {
        app.open(robot, MainWindow.View.SETTINGS, "#profile-list");
        @SuppressWarnings("unchecked")
        ListView<ConnectionProfile> list = node(robot, "#profile-list", ListView.class);
        robot.interact(() -> list.getSelectionModel().select(1));
        click(robot, "#profile-connect"); // a click gives the button the focus, and Connect then disables it
        Await.until(fx(() -> app.window.connection().health() == ActiveConnection.Health.ONLINE
                && app.window.connection().profile().id().equals("gw_0123456789ab")), WAIT, "connected to the gateway");
        Node owner = onFx(() -> list.getScene().getFocusOwner());
        assertSame(list, owner, () -> "the focus is on " + owner + ", not on the connections list");
    }
}
