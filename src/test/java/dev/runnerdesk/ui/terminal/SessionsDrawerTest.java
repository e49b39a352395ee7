package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.SplitPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
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

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Sessions drawer in the whole app, by keyboard and mouse: opening, focus, split, maximise, close, app keys. */
@ExtendWith(ApplicationExtension.class)
class SessionsDrawerTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private Stage stage;

    /** What a gateway connection reaches in these tests: a runtime of its own. */
    private EmbeddedRuntime elsewhere;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = new UiHarness(dataDir);
        app.show(stage, app.factory((profile, key) -> {
            synchronized (this) {
                if (elsewhere == null) {
                    elsewhere = new EmbeddedRuntime(dataDir.resolve("gw" + System.nanoTime()), Clock.systemUTC(),
                            List.of(new FakeProvider()));
                }
                return elsewhere.serviceFor(Principal.localUser());
            }
        }), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
        if (elsewhere != null) {
            elsewhere.close();
        }
    }

    private TerminalSessions terminals() {
        return app.window.terminals();
    }

    private Runner listed(FxRobot robot, Runner r) {
        Await.until(fx(() -> UiHarness.table(robot).getItems().stream().anyMatch(row -> row.id().equals(r.runnerId())
                && row.runner().activeSession().isPresent() == r.activeSession().isPresent())), WAIT, "the runner listed");
        return r;
    }

    private Session runnerWithSession(FxRobot robot) {
        Runner r = app.create();
        Session s = app.service.startSession(r.runnerId(), Optional.empty());
        listed(robot, app.service.get(r.runnerId()));
        return s;
    }

    private TerminalView awaitFocusedTerminal(String key) {
        Await.until(fx(() -> terminals().terminal(key).isPresent()), WAIT, "the terminal " + key + " open");
        TerminalView view = onFx(() -> terminals().terminal(key).orElseThrow());
        Await.until(fx(() -> stage.getScene().getFocusOwner() == view.focusTarget()), WAIT,
                () -> "the keys in terminal " + key + ", not in " + onFx(() -> stage.getScene().getFocusOwner()));
        Await.until(fx(() -> view.text().contains("exec$")), WAIT, "its prompt");
        return view;
    }

    private void openByEnter(FxRobot robot, Session s) {
        robot.interact(() -> app.window.runners().select(s.runnerId()));
        robot.clickOn(UiHarness.table(robot)); // keys in the table, the runner still selected
        robot.interact(() -> app.window.runners().select(s.runnerId()));
        robot.type(KeyCode.ENTER);
    }

    @Test
    void enterOnARunnerOpensItsTerminalInTheDrawerWithTheKeysInIt(FxRobot robot) {
        Session s = runnerWithSession(robot);
        openByEnter(robot, s);
        TerminalView view = awaitFocusedTerminal(s.sessionId());
        assertTrue(onFx(() -> terminals().drawer().shownProperty().get()));
        assertTrue(onFx(() -> node(robot, "#sessions-drawer", Node.class).isVisible()));
        robot.write("echo hi");
        robot.type(KeyCode.ENTER);
        Await.until(fx(() -> view.text().contains("fake output")), WAIT, "the command ran");
        assertEquals("Terminal of " + s.runnerId() + ", session " + s.sessionId() + ", exec mode",
                onFx(() -> view.focusTarget().getAccessibleText()), "a name for screen readers");
    }

    @Test
    void aConsoleEndedByASwitchOfConnectionComesBackWithItsTextAndHistory(FxRobot robot) {
        Session s = runnerWithSession(robot);
        openByEnter(robot, s);
        TerminalView view = awaitFocusedTerminal(s.sessionId());
        robot.write("echo before");
        robot.type(KeyCode.ENTER);
        Await.until(fx(() -> view.text().stripTrailing().endsWith("exec$")), WAIT, "the command ran, the next prompt");
        ConnectionProfile gateway = ConnectionProfile.gateway("gw_other", "Other", "https://gateway.example.com", false);
        app.secrets.put(gateway.secretName(), "cm_sk_test_00000000");
        robot.interact(() -> app.window.connection().connect(gateway));
        Await.until(fx(() -> terminals().terminal(s.sessionId()).isEmpty()
                && app.window.connection().health() == ActiveConnection.Health.ONLINE), WAIT, "switched: the terminal ended");
        robot.interact(() -> app.window.connection().connect(ConnectionProfile.thisComputer()));
        listed(robot, app.service.get(s.runnerId()));

        openByEnter(robot, s);
        TerminalView again = awaitFocusedTerminal(s.sessionId());
        String text = onFx(again::text);
        assertTrue(text.contains("echo before") && text.contains("fake output")
                && text.contains("[above: this console before the connection was switched]"), text);
        robot.type(KeyCode.UP);
        Await.until(fx(() -> again.text().stripTrailing().endsWith("exec$ echo before")), WAIT, "↑ recalls the command");
    }

    @Test
    void startSessionOpensTheNewSessionsTerminalWithTheKeysInIt(FxRobot robot) {
        Runner r = listed(robot, app.create());
        robot.interact(() -> app.window.runners().select(r.runnerId()));
        click(robot, "#detail-start-session");
        Await.until(() -> app.service.get(r.runnerId()).activeSession().isPresent(), WAIT, "a session started");
        String session = app.service.get(r.runnerId()).activeSession().orElseThrow().sessionId();
        awaitFocusedTerminal(session);
    }

    @Test
    void splitPutsASecondTerminalBesideTheFirstAndMaximiseTakesTheWindowAndBack(FxRobot robot) {
        Session s = runnerWithSession(robot);
        openByEnter(robot, s);
        awaitFocusedTerminal(s.sessionId());

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.E).release(KeyCode.E, KeyCode.SHIFT, KeyCode.CONTROL);
        awaitFocusedTerminal(s.sessionId() + "#2");
        assertEquals(2, onFx(() -> terminals().drawer().paneCount()), "side by side");

        SplitPane work = node(robot, "#work-area", SplitPane.class);
        assertEquals(2, onFx(() -> work.getItems().size()), "the views above the drawer");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.M).release(KeyCode.M, KeyCode.SHIFT, KeyCode.CONTROL);
        Await.until(fx(() -> work.getItems().size() == 1 && work.getItems().get(0) == terminals().drawer().view()), WAIT,
                "the drawer alone: maximised");
        click(robot, "#sessions-maximise");
        Await.until(fx(() -> work.getItems().size() == 2), WAIT, "restored");

        // Ctrl+Shift+W closes the terminal with the keys; the other one gets them
        robot.clickOn(onFx(() -> terminals().terminal(s.sessionId() + "#2").orElseThrow().focusTarget()));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.W).release(KeyCode.W, KeyCode.SHIFT, KeyCode.CONTROL);
        Await.until(fx(() -> terminals().terminal(s.sessionId() + "#2").isEmpty()), WAIT, "the split closed");
        assertEquals(1, onFx(() -> terminals().drawer().paneCount()), "its pane went with it");
        awaitFocusedTerminal(s.sessionId());
    }

    @Test
    void ctrlBackquoteMovesTheKeysBetweenTheListAndTheTerminal(FxRobot robot) {
        Session s = runnerWithSession(robot);
        openByEnter(robot, s);
        TerminalView view = awaitFocusedTerminal(s.sessionId());
        robot.press(KeyCode.CONTROL, KeyCode.BACK_QUOTE).release(KeyCode.BACK_QUOTE, KeyCode.CONTROL);
        Await.until(fx(() -> stage.getScene().getFocusOwner() == UiHarness.table(robot)), WAIT, "the keys in the runner list");
        robot.press(KeyCode.CONTROL, KeyCode.BACK_QUOTE).release(KeyCode.BACK_QUOTE, KeyCode.CONTROL);
        Await.until(fx(() -> stage.getScene().getFocusOwner() == view.focusTarget()), WAIT, "back in the terminal");
        assertFalse(onFx(view::text).contains("`"), "the key typed nothing");
    }

    @Test
    void theThemeShortcutInATerminalSwitchesTheThemeAndTypesNothing(FxRobot robot) {
        Session s = runnerWithSession(robot);
        openByEnter(robot, s);
        TerminalView view = awaitFocusedTerminal(s.sessionId());
        robot.write("ab");
        Await.until(fx(() -> view.text().stripTrailing().endsWith("exec$ ab")), WAIT, "ab typed");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        Await.until(fx(() -> view.widget().theme() == TerminalTheme.DARK), WAIT, "the terminal in the dark theme");
        robot.write("c");
        Await.until(fx(() -> view.text().stripTrailing().endsWith("exec$ abc")), WAIT,
                () -> "no D between ab and c: " + onFx(view::text).stripTrailing());
    }

    @Test
    void aPoppedOutTerminalHasTheAppsKeysFollowsTheThemeAndComesBackInIt(FxRobot robot) {
        Session s = runnerWithSession(robot);
        openByEnter(robot, s);
        TerminalView view = awaitFocusedTerminal(s.sessionId());
        TerminalHolder holder = node(robot, "#terminal-holder", TerminalHolder.class);
        click(robot, "#terminal-pop-out");
        Await.until(fx(holder::isPoppedOut), WAIT, "popped out");
        KeyCodeCombination themeKey = new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
        Runnable toggle = onFx(() -> view.focusTarget().getScene().getAccelerators().get(themeKey));
        assertTrue(toggle != null, "the app's keys work in the popped-out window too");
        robot.interact(toggle);
        Await.until(fx(() -> view.widget().theme() == TerminalTheme.DARK), WAIT, "the popped-out terminal in the dark theme");
        robot.interact(() -> node(robot, "#terminal-bring-back", Button.class).fire());
        Await.until(fx(() -> !holder.isPoppedOut()), WAIT, "back in the drawer");
        TerminalViewTest.assertDrawnIn(view.widget(), TerminalTheme.DARK); // was: white line backgrounds
    }

    @Test
    void theFindBarPushesTheLinesDownInsteadOfCoveringThem(FxRobot robot) {
        Session s = runnerWithSession(robot);
        openByEnter(robot, s);
        TerminalView view = awaitFocusedTerminal(s.sessionId());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F).release(KeyCode.F, KeyCode.SHIFT, KeyCode.CONTROL);
        Node bar = node(robot, "#terminal-find-bar", Node.class);
        Node lines = view.widget().getTerminalPanel().getPane();
        Await.until(fx(() -> bar.getBoundsInParent().getHeight() > 0
                && lines.getBoundsInParent().getMinY() >= bar.getBoundsInParent().getMaxY() - 1), WAIT,
                () -> "the lines start under the bar: lines at " + onFx(() -> lines.getBoundsInParent()) + ", bar at "
                        + onFx(() -> bar.getBoundsInParent()));
    }
}
