package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
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

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.table;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A first start: an empty list that offers the next step (once), and the create dialog's keyboard and spacing. */
@ExtendWith(ApplicationExtension.class)
class RunnerListFirstStartTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(() -> windowsWithRoot(robot, "create-runner-dialog").forEach(w -> w.hide()));
        app.close();
    }

    @Test
    void anEmptyListSaysSoOnceAndOneClickCreatesAFakeRunner(FxRobot robot) {
        node(robot, "#empty-create-fake", Node.class);
        Await.until(fx(() -> shownWith(robot, "No runners yet") == 1), WAIT, () -> "“No runners yet” shown "
                + shownWith(robot, "No runners yet") + " times");
        // what this build cannot offer here is said, with the way to fix it
        Await.until(fx(() -> node(robot, "#empty-local-status", Label.class).getText().startsWith("Not available here: ")),
                WAIT, "why there is no local sandbox");
        click(robot, "#empty-create-fake");
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the fake runner listed");
        assertEquals(ProviderType.FAKE, onFx(() -> table(robot).getItems().get(0).runner().providerType()));
        Await.until(fx(() -> shownWith(robot, "No runners yet") == 0), WAIT, "the first-start steps gone");
    }

    @Test
    void theFirstStepsAreReachedAndUsedWithTheKeyboardOnly(FxRobot robot) {
        node(robot, "#empty-create-fake", Node.class);
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        Await.until(fx(() -> node(robot, "#runner-filter", Node.class).isFocused()), WAIT, "the filter focused");
        for (int i = 0; i < 30 && !onFx(() -> node(robot, "#empty-create-fake", Node.class).isFocused()); i++) {
            robot.type(KeyCode.TAB);
        }
        assertTrue(onFx(() -> node(robot, "#empty-create-fake", Node.class).isFocused()), "Tab reaches “Create a fake runner”");
        robot.type(KeyCode.SPACE);
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the fake runner created from the keyboard");
    }

    @Test
    void connectAGatewayOpensTheConnectionsInSettings(FxRobot robot) {
        robot.clickOn(node(robot, "#empty-connect-gateway", Node.class));
        Await.until(fx(() -> app.window.settings().isActive()), WAIT, "Settings shown");
    }

    @Test
    void createRunnerClosesOnEscapeFromTheTtlFieldAndItsLabelsKeepClearOfTheEdge(FxRobot robot) {
        node(robot, "#empty-create-fake", Node.class);
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        Await.until(fx(() -> windowsWithRoot(robot, "create-runner-dialog").size() == 1), WAIT, "the create dialog");
        Node pane = windowsWithRoot(robot, "create-runner-dialog").get(0).getScene().getRoot();
        Label provider = onFx(() -> pane.lookupAll(".label").stream().filter(n -> n instanceof Label l
                && "Provider".equals(l.getText().replace("_", ""))).map(Label.class::cast).findFirst().orElseThrow());
        double inset = onFx(() -> provider.localToScene(0, 0).getX() - pane.localToScene(0, 0).getX());
        assertTrue(inset >= 12, "the label keeps clear of the dialog's edge: " + inset + " px");
        click(robot, "#create-ttl").type(KeyCode.ESCAPE);
        Await.until(fx(() -> windowsWithRoot(robot, "create-runner-dialog").isEmpty()), WAIT, "Escape closed the dialog");
    }

    /** How many labels shown (in every window) carry {@code text}. */
    private static long shownWith(FxRobot robot, String text) {
        return onFx(() -> robot.lookup(n -> n instanceof Labeled l && text.equals(l.getText()) && n.isVisible()
                && ancestorsVisible(n)).queryAll().size());
    }

    private static boolean ancestorsVisible(Node n) {
        for (Node at = n; at != null; at = at.getParent()) {
            if (!at.isVisible()) {
                return false;
            }
        }
        return true;
    }
}
