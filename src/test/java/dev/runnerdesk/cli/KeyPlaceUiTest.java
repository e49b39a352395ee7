package dev.runnerdesk.cli;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
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
import java.util.Map;
import java.util.Optional;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway that refuses the key (401), with keys kept in each store the composition root offers
 * ({@value Keychain#VARIABLE}=keychain|file|memory): the banner says where the key really is, and a new key entered
 * through it shows its mask in Settings → Connections as soon as it is saved.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class KeyPlaceUiTest {
    private static final String OLD_KEY = "cm_sk_old_key_0000aaaa";
    private static final String NEW_KEY = "cm_sk_new_key_0000bbbb";
    @TempDir
    Path dir;
    private final MockWebServer gateway = new MockWebServer();
    private UiHarness app;
    private Keychain keychain;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (keychain != null) {
            keychain.close();
        }
        gateway.close();
    }

    /** The app on a gateway profile whose every call answers 401, with keys kept as {@code store} says. */
    private ConnectionProfile showRefusingGateway(FxRobot robot, String store) throws IOException {
        gateway.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                        .body("{\"error\":{\"code\":\"unauthorized\",\"message\":\"invalid API key\"}}").build();
            }
        });
        gateway.start(0);
        String url = gateway.url("/").toString();
        keychain = new Keychain(dir.resolve("data"), Map.of(Keychain.VARIABLE, store)).probeNow();
        app = new UiHarness(dir);
        ConnectionProfile team = app.gatewayProfile(url, true);
        keychain.secrets.put(team.secretName(), OLD_KEY);
        robot.interact(() -> app.show(stage, app.gatewayClient(), Clock.systemUTC(), keychain.secrets, keychain));
        return team;
    }

    private void assertBannerSaysWhereTheKeyIs(FxRobot robot) {
        KeyStorage.State kept = keychain.state();
        Await.until(fx(() -> visible(robot, "#unauthorized-banner")), WAIT, "the refused-key banner");
        Await.until(fx(() -> bannerText(robot).contains("kept in " + kept.place())), WAIT,
                () -> "the banner says the key is kept in " + kept.place() + ": " + bannerText(robot));
        if (kept.where() != KeyStorage.Where.KEYCHAIN) {
            assertFalse(bannerText(robot).contains("keychain"), "no keychain named where there is none: " + bannerText(robot));
        }
    }

    @Test
    void withTheKeychainChosenTheBannerSaysWhereTheKeyReallyIs(FxRobot robot) throws IOException {
        // headless, the OS keychain does not work: the key is in memory, and the banner must not claim a keychain
        showRefusingGateway(robot, "keychain");
        assertBannerSaysWhereTheKeyIs(robot);
    }

    @Test
    void withKeysInMemoryTheBannerSaysTheyLastThisRunOnly(FxRobot robot) throws IOException {
        showRefusingGateway(robot, "memory");
        assertEquals(KeyStorage.Where.THIS_RUN, keychain.state().where());
        assertBannerSaysWhereTheKeyIs(robot);
        assertTrue(bannerText(robot).contains("memory (this run only)"), bannerText(robot));

        // the gateway dialog says it too
        app.open(robot, MainWindow.View.SETTINGS, "#profile-list");
        robot.interact(() -> UiHarness.node(robot, "#profile-list", ListView.class).getSelectionModel().select(1));
        click(robot, "#profile-edit");
        Await.until(fx(() -> text(robot, "#profile-key-note").startsWith("The key is kept in memory (this run only)")), WAIT,
                () -> "the dialog says where the key is kept: " + text(robot, "#profile-key-note"));
        click(robot, "#profile-cancel");
    }

    @Test
    void withTheKeyFileTheBannerNamesTheFileAndANewKeyShowsItsMaskAtOnce(FxRobot robot) throws IOException {
        ConnectionProfile team = showRefusingGateway(robot, "file");
        assertEquals(KeyStorage.Where.FILE, keychain.state().where());
        assertBannerSaysWhereTheKeyIs(robot);
        assertTrue(bannerText(robot).contains(dir.resolve("data").resolve("credentials").toString()), bannerText(robot));

        // Settings shown while the new key is entered through the banner: its list follows the save
        app.open(robot, MainWindow.View.SETTINGS, "#profile-list");
        String keyLabel = "#profile-key-" + team.id();
        Await.until(fx(() -> text(robot, keyLabel).equals("key " + SecretStore.mask(OLD_KEY))), WAIT, "the old key's mask");
        click(robot, "#banner-enter-key");
        click(robot, "#api-key-field").write(NEW_KEY);
        click(robot, "#api-key-save");
        Await.until(fx(() -> text(robot, keyLabel).equals("key " + SecretStore.mask(NEW_KEY))), WAIT,
                () -> "the new key's mask in the list: " + text(robot, keyLabel));
        assertEquals(Optional.of(NEW_KEY), keychain.secrets.get(team.secretName()), "the new key saved in the file");
    }

    private static String bannerText(FxRobot robot) {
        return onFx(() -> robot.lookup("#unauthorized-banner").tryQuery().map(banner -> robot.from(banner)
                .lookup(".label").queryAllAs(Label.class).stream().map(Label::getText)
                .reduce("", (a, b) -> a + " " + b)).orElse(""));
    }

    private static boolean visible(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().map(Node::isVisible).orElse(false));
    }
}
