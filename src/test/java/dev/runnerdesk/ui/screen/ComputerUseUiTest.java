package dev.runnerdesk.ui.screen;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.ScriptedComputerUseProvider;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UI side of claude_computer_use on the real embedded runtime, with a scripted provider that stores a
 * screenshot and a computer.action event per action: the timeline detail, the live Screen tab, provider keys.
 */
@ExtendWith(ApplicationExtension.class)
class ComputerUseUiTest {
    private static final String ANTHROPIC_KEY = "sk-ant-api03-test-only-0000-9f3c";
    @TempDir
    static Path dataDir;
    private UiHarness app;

    /** Open subscriptions to one runner's events, by runner (only the Screen tab subscribes to one runner). */
    private final Map<String, AtomicInteger> watching = new ConcurrentHashMap<>();

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        app.show(stage, (profile, key) -> countingRunnerSubscriptions(app.runtime.serviceFor(Principal.localUser())),
                Clock.systemUTC());
    }

    private RunnerService countingRunnerSubscriptions(RunnerService inner) {
        return (RunnerService) Proxy.newProxyInstance(RunnerService.class.getClassLoader(), new Class<?>[] {RunnerService.class},
                (proxy, method, args) -> {
                    CountDownLatch hold = slowEvents;
                    if (hold != null && method.getName().equals("events")) {
                        hold.await(2, TimeUnit.MINUTES); // a backend slow to list events; a cancel interrupts it
                    }
                    CountDownLatch shot = slowScreenshots;
                    if (shot != null && method.getName().equals("screenshot")) {
                        awaitUninterruptibly(shot); // a backend that answers even after a cancel: the answer is dropped
                    }
                    Object result;
                    try {
                        result = method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("screenshot")) {
                        screenshotsServed.incrementAndGet();
                    }
                    if (method.getName().equals("subscribe") && args[0] instanceof Optional<?> runner && runner.isPresent()) {
                        AtomicInteger open = watching.computeIfAbsent((String) runner.get(), k -> new AtomicInteger());
                        open.incrementAndGet();
                        Subscription subscription = (Subscription) result;
                        AtomicBoolean closed = new AtomicBoolean();
                        return (Subscription) () -> {
                            if (closed.compareAndSet(false, true)) {
                                open.decrementAndGet();
                            }
                            subscription.close();
                        };
                    }
                    return result;
                });
    }

    /** While set, listing events waits for it: a backend slow to answer. */
    private volatile CountDownLatch slowEvents;
    /** While set, a screenshot waits for it, a cancel (an interrupt) notwithstanding: a backend slow to send one. */
    private volatile CountDownLatch slowScreenshots;
    private final AtomicInteger screenshotsServed = new AtomicInteger();

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await(2, TimeUnit.MINUTES);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private int watching(String runnerId) {
        return watching.getOrDefault(runnerId, new AtomicInteger()).get();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private Session computerUseSession() {
        app.secrets.put(ProviderKeys.ANTHROPIC.secretName(), ANTHROPIC_KEY);
        Runner r = app.service.create(new CreateRunnerRequest(ProviderType.CLAUDE_COMPUTER_USE, ToolProfile.FULL_VM_TOOLS, 600));
        return app.service.startSession(r.runnerId(), Optional.empty());
    }

    /** The agent acts: one computer.action event (and screenshot) per action named, three when none is. */
    private void act(Session s, String... actions) {
        List<String> argv = new ArrayList<>(List.of("computer"));
        argv.addAll(List.of(actions));
        app.service.exec(s.runnerId(), s.sessionId(), new ExecRequest(argv));
    }

    @SuppressWarnings("unchecked")
    private static TableView<AuditEvent> timeline(FxRobot robot) {
        return node(robot, "#timeline-table", TableView.class);
    }

    private static String text(FxRobot robot, String id) {
        return onFx(node(robot, id, Labeled.class)::getText);
    }

    private static ScreenshotPane pane(FxRobot robot, String id) {
        return node(robot, id, ScreenshotPane.class);
    }

    /** Selects the timeline's computer.action whose action is {@code action}. */
    private static void selectAction(FxRobot robot, String action) throws Exception {
        Await.until(fx(() -> timeline(robot).getItems().stream()
                .anyMatch(e -> action.equals(e.data().get("action")))), WAIT, "the agent's computer actions in the timeline");
        robot.interact(() -> {
            TableView<AuditEvent> table = timeline(robot);
            for (int i = 0; i < table.getItems().size(); i++) {
                if (action.equals(table.getItems().get(i).data().get("action"))) {
                    table.getSelectionModel().clearAndSelect(i);
                    return;
                }
            }
        });
    }

    @Test
    void theTimelineDetailShowsAnActionsScreenshotWithItsClickMarked(FxRobot robot) throws Exception {
        Session s = computerUseSession();
        act(s);
        act(s, "missing");
        robot.interact(() -> app.window.navigate(MainWindow.View.TIMELINE));

        selectAction(robot, "left_click");
        Await.until(fx(() -> pane(robot, "#timeline-detail-screenshot").image().isPresent()), WAIT, "the screenshot shown");
        Await.until(fx(() -> pane(robot, "#timeline-detail-screenshot").marked()), WAIT, "the crosshair on it");
        assertEquals("Step 2 · left_click at (412, 168)", text(robot, "#timeline-detail-action"));
        assertEquals(ScriptedComputerUseProvider.WIDTH, pane(robot, "#timeline-detail-screenshot").image().get().getWidth());
        assertTrue(pane(robot, "#timeline-detail-screenshot").getAccessibleText().contains(s.sessionId() + "-0002.png"));

        // full size, in a window of its own
        Button fullSize = node(robot, "#timeline-detail-full-size", Button.class);
        Await.until(fx(() -> !fullSize.isDisabled()), WAIT, "Open full size on");
        robot.interact(fullSize::fire);
        Await.until(fx(() -> windowsWithRoot(robot, "screenshot-window").size() == 1), WAIT, "the screenshot window");
        Window big = windowsWithRoot(robot, "screenshot-window").get(0);
        Label caption = (Label) big.getScene().getRoot().lookup("#screenshot-window-caption");
        assertTrue(caption.getText().contains("1024×640"), caption.getText());
        robot.interact(big::hide);

        // typing points nowhere: no mark
        selectAction(robot, "type");
        Await.until(fx(() -> pane(robot, "#timeline-detail-screenshot").getAccessibleText()
                .contains("-0003.png")), WAIT, "the third step's screenshot");
        assertFalse(pane(robot, "#timeline-detail-screenshot").marked());
        assertEquals("Step 3 · type “quarterly report”", text(robot, "#timeline-detail-action"));

        // a screenshot the runner does not have: said plainly, instead of an image
        robot.interact(() -> timeline(robot).getSelectionModel().clearAndSelect(indexOfStep(timeline(robot), 4)));
        Await.until(fx(() -> pane(robot, "#timeline-detail-screenshot").message()
                .startsWith("Screenshot missing")), WAIT, "the missing screenshot said so");
        assertTrue(pane(robot, "#timeline-detail-screenshot").image().isEmpty());
        assertTrue(node(robot, "#timeline-detail-full-size", Button.class).isDisabled());

        // other events have no screenshot box
        robot.interact(() -> timeline(robot).getSelectionModel().clearAndSelect(timeline(robot).getItems().size() - 1));
        Await.until(fx(() -> !node(robot, "#timeline-detail-screenshot-box", Node.class).isVisible()), WAIT, "no screenshot box for a command");
    }

    private static int indexOfStep(TableView<AuditEvent> table, int step) {
        for (int i = 0; i < table.getItems().size(); i++) {
            AuditEvent e = table.getItems().get(i);
            if (EventTypes.COMPUTER_ACTION.equals(e.eventType()) && Integer.valueOf(step).equals(e.data().get("step"))) {
                return i;
            }
        }
        throw new AssertionError("no step " + step);
    }

    private void openScreenTab(FxRobot robot, Session s) throws Exception {
        Await.until(fx(() -> UiHarness.table(robot).getItems().stream()
                .anyMatch(row -> row.id().equals(s.runnerId()))), WAIT, "the computer-use runner listed");
        robot.interact(() -> app.window.runners().select(s.runnerId()));
        Await.until(fx(() -> node(robot, "#detail-tabs", TabPane.class).getTabs()
                .stream().anyMatch(t -> "detail-tab-screen".equals(t.getId()))), WAIT, "its Screen tab");
        click(robot, "#detail-tab-screen");
    }

    private static void awaitShown(FxRobot robot, String position, String screenshot) {
        Await.until(fx(() -> position.equals(text(robot, "#screen-position"))
                && String.valueOf(pane(robot, "#screen-screenshot").getAccessibleText()).contains(screenshot)), WAIT,
                () -> onFx(() -> position + " showing " + screenshot + "; it is " + text(robot, "#screen-position")
                        + " showing " + pane(robot, "#screen-screenshot").getAccessibleText()));
    }

    @Test
    void theScreenTabFollowsEachActionLiveAndStepsBackAndForth(FxRobot robot) throws Exception {
        Session s = computerUseSession();
        openScreenTab(robot, s);
        Await.until(fx(() -> text(robot, "#screen-status").startsWith("Live")), WAIT, "the Screen tab live");

        act(s, "screenshot");
        awaitShown(robot, "1 / 1", s.sessionId() + "-0001.png");
        act(s, "left_click");
        awaitShown(robot, "2 / 2", s.sessionId() + "-0002.png");
        Await.until(fx(() -> pane(robot, "#screen-screenshot").marked()), WAIT, "the crosshair on it");
        act(s, "type");
        awaitShown(robot, "3 / 3", s.sessionId() + "-0003.png");
        Await.until(fx(() -> text(robot, "#screen-caption").startsWith("Step 3 · type")), WAIT, "step 3's caption");

        // back twice, forward once: following stops, so a new action does not take the screen away
        Button back = node(robot, "#screen-back", Button.class);
        robot.interact(back::fire);
        awaitShown(robot, "2 / 3", "-0002.png");
        robot.interact(back::fire);
        awaitShown(robot, "1 / 3", "-0001.png");
        Await.until(fx(back::isDisabled), WAIT, "Back off at the first step");
        robot.interact(node(robot, "#screen-forward", Button.class)::fire);
        awaitShown(robot, "2 / 3", "-0002.png");
        Await.until(fx(() -> !node(robot, "#screen-follow", ToggleButton.class).isSelected()), WAIT, "Follow off after stepping back");
        act(s, "key");
        awaitShown(robot, "2 / 4", "-0002.png");

        // the newest again, following
        robot.interact(node(robot, "#screen-latest", Button.class)::fire);
        awaitShown(robot, "4 / 4", "-0004.png");
        Await.until(fx(() -> node(robot, "#screen-follow", ToggleButton.class).isSelected()), WAIT, "Follow on again");
        act(s, "left_click");
        awaitShown(robot, "5 / 5", "-0005.png");
    }

    @Test
    void aScreenOpenedLateHasTheSessionsEarlierActionsAndStopsFollowingWhenTheRunnerOrViewChanges(FxRobot robot) throws Exception {
        Session s = computerUseSession();
        act(s);
        openScreenTab(robot, s);
        awaitShown(robot, "3 / 3", s.sessionId() + "-0003.png");
        robot.interact(node(robot, "#screen-first", Button.class)::fire);
        awaitShown(robot, "1 / 3", "-0001.png");

        Runner fake = app.create();
        Await.until(fx(() -> UiHarness.table(robot).getItems().stream()
                .anyMatch(row -> row.id().equals(fake.runnerId()))), WAIT, "the fake runner listed");
        // one subscription for the selected runner, shared by its Events tab and its Screen tab
        assertEquals(1, watching(s.runnerId()), "the Screen tab follows its runner, on the detail's one stream");
        robot.interact(() -> app.window.runners().select(fake.runnerId()));
        Await.until(fx(() -> fake.runnerId().equals(text(robot, "#detail-runner-id"))), WAIT, "the fake runner's detail");
        Await.until(fx(() -> node(robot, "#detail-tabs", TabPane.class).getTabs()
                .stream().noneMatch(t -> "detail-tab-screen".equals(t.getId()))), WAIT, "no Screen tab for it");
        Await.until(fx(() -> watching(s.runnerId()) == 0), WAIT, "the runner no longer selected is not followed");
        Await.until(fx(() -> watching(fake.runnerId()) == 1), WAIT, "the fake runner's detail follows its events");
        assertEquals(1, watching(fake.runnerId()), "no more than the detail's one stream: a fake runner has no screen");

        // back to the computer-use runner, then away to another view: following stops there too
        robot.interact(() -> app.window.runners().select(s.runnerId()));
        Await.until(fx(() -> watching(s.runnerId()) == 1 && watching(fake.runnerId()) == 0), WAIT, "the screen watched");
        robot.interact(() -> app.window.navigate(MainWindow.View.POLICIES));
        Await.until(fx(() -> watching(s.runnerId()) == 0), WAIT, "nothing watched in another view");
    }

    @Test
    void aSlowLoadOfTheActionsSaysWhatItWaitsForAndCancelLeavesAWayToLoadThemAgain(FxRobot robot) throws Exception {
        Session s = computerUseSession();
        act(s);
        slowEvents = new CountDownLatch(1);
        try {
            openScreenTab(robot, s);
            Await.until(fx(() -> waitText(robot).matches("Waiting for .+ to list the actions of runner "
                    + s.runnerId() + "… \\d+ s")), Duration.ofSeconds(30), () -> "the wait: " + onFx(() -> waitText(robot)));

            click(robot, "#screen-wait-cancel");

            Await.until(fx(() -> waitText(robot).equals("Cancelled — the session's earlier actions were not loaded")), WAIT,
                    () -> "the cancel said: " + onFx(() -> waitText(robot)));
            assertTrue(onFx(() -> text(robot, "#screen-status")).contains("Load the actions again"));
            assertEquals("", onFx(() -> text(robot, "#screen-position")), "no actions shown");
        } finally {
            slowEvents.countDown();
            slowEvents = null;
        }
        click(robot, "#screen-load-again");
        awaitShown(robot, "3 / 3", s.sessionId() + "-0003.png");
        assertEquals("", onFx(() -> waitText(robot)), "nothing waits");
        assertFalse(onFx(() -> node(robot, "#screen-load-again", Button.class).isVisible()));
    }

    private static String waitText(FxRobot robot) {
        return node(robot, "#screen-wait", javafx.scene.Node.class).isVisible() ? text(robot, "#screen-wait-text") : "";
    }

    private static String screenshotWaitText(FxRobot robot) {
        return node(robot, "#screenshot-wait", Node.class).isVisible() ? text(robot, "#screenshot-wait-text") : "";
    }

    @Test
    void aSlowScreenshotSaysWhatItWaitsForAndCancelDropsItAndOffersToLoadItAgain(FxRobot robot) throws Exception {
        Session s = computerUseSession();
        act(s);
        String newest = s.sessionId() + "-0003.png";
        slowScreenshots = new CountDownLatch(1);
        try {
            openScreenTab(robot, s);
            Await.until(fx(() -> screenshotWaitText(robot).matches("Waiting for .+ to send the screenshot "
                    + Pattern.quote(newest) + "… \\d+ s")), Duration.ofSeconds(30),
                    () -> "the screenshot's wait: " + onFx(() -> screenshotWaitText(robot)));
            assertEquals("3 / 3", text(robot, "#screen-position"), "the actions are in; only the screenshot is awaited");
            assertEquals("", onFx(() -> waitText(robot)), "the wait for the actions is over; it is a line of its own");
            Node line = node(robot, "#screenshot-wait", Node.class);
            assertTrue(onFx(() -> isInside(line, pane(robot, "#screen-screenshot"))), "the wait is in the screenshot's place");

            click(robot, "#screenshot-wait-cancel");

            Await.until(fx(() -> screenshotWaitText(robot).equals("Cancelled — the screenshot was not loaded")), WAIT,
                    () -> "the cancel said: " + onFx(() -> screenshotWaitText(robot)));
            assertEquals(Screenshots.NOT_LOADED, onFx(() -> pane(robot, "#screen-screenshot").message()));
            assertTrue(onFx(() -> node(robot, "#screenshot-load-again", Button.class).isVisible()), "Load again offered");
            assertTrue(onFx(() -> node(robot, "#screen-full-size", Button.class).isDisabled()), "nothing to open full size");
        } finally {
            slowScreenshots.countDown();
            slowScreenshots = null;
        }
        // the backend answers after all: the answer is dropped, the pane still says it was not loaded
        Await.until(() -> screenshotsServed.get() == 1, WAIT, "the late answer to the cancelled load");
        assertFalse(Await.within(() -> onFx(() -> pane(robot, "#screen-screenshot").image().isPresent()),
                Duration.ofSeconds(1), "the late screenshot shown"), "a screenshot that arrives after the cancel is dropped");
        assertEquals(Screenshots.NOT_LOADED, onFx(() -> pane(robot, "#screen-screenshot").message()));

        click(robot, "#screenshot-load-again");
        awaitShown(robot, "3 / 3", newest);
        assertTrue(onFx(() -> pane(robot, "#screen-screenshot").image().isPresent()));
        assertEquals("", onFx(() -> screenshotWaitText(robot)), "nothing waits");
        assertFalse(onFx(() -> node(robot, "#screenshot-load-again", Button.class).isVisible()));
    }

    @Test
    void aSlowScreenshotInTheTimelineDetailSaysWhatItWaitsForAndCancelSaysItWasNotLoaded(FxRobot robot) throws Exception {
        Session s = computerUseSession();
        act(s);
        robot.interact(() -> app.window.navigate(MainWindow.View.TIMELINE));
        slowScreenshots = new CountDownLatch(1);
        try {
            selectAction(robot, "left_click");
            Await.until(fx(() -> detailWaitText(robot).matches("Waiting for .+ to send the screenshot "
                    + Pattern.quote(s.sessionId() + "-0002.png") + "… \\d+ s")), Duration.ofSeconds(30),
                    () -> "the screenshot's wait: " + onFx(() -> detailWaitText(robot)));
            click(robot, "#timeline-detail-wait-cancel");
            Await.until(fx(() -> detailWaitText(robot).equals("Cancelled — the screenshot was not loaded")), WAIT,
                    () -> "the cancel said: " + onFx(() -> detailWaitText(robot)));
            assertTrue(onFx(() -> pane(robot, "#timeline-detail-screenshot").message()).startsWith("Not loaded: the load was cancelled"));
        } finally {
            slowScreenshots.countDown();
            slowScreenshots = null;
        }
        Await.until(() -> screenshotsServed.get() == 1, WAIT, "the late answer to the cancelled load");
        assertFalse(Await.within(() -> onFx(() -> pane(robot, "#timeline-detail-screenshot").image().isPresent()),
                Duration.ofSeconds(1), "the late screenshot shown"), "a screenshot that arrives after the cancel is dropped");

        // selected again, it loads
        robot.interact(() -> timeline(robot).getSelectionModel().clearSelection());
        selectAction(robot, "left_click");
        Await.until(fx(() -> pane(robot, "#timeline-detail-screenshot").image().isPresent()), WAIT, "the screenshot shown");
        assertEquals("", onFx(() -> detailWaitText(robot)), "nothing waits");
    }

    private static String detailWaitText(FxRobot robot) {
        return node(robot, "#timeline-detail-wait", Node.class).isVisible() ? text(robot, "#timeline-detail-wait-text") : "";
    }

    private static boolean isInside(Node node, Node container) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n == container) {
                return true;
            }
        }
        return false;
    }

    @Test
    void providerKeysAreSavedMaskedAndRemovedAndTheCreateDialogFollows(FxRobot robot) throws Exception {
        robot.interact(() -> app.window.navigate(MainWindow.View.SETTINGS));
        Await.until(fx(() -> text(robot, "#provider-key-state-anthropic").startsWith("not s")), WAIT, "Anthropic key not set");
        assertTrue(text(robot, "#provider-key-state-anthropic").contains("ANTHROPIC_API_KEY"));
        Label notice = node(robot, "#provider-keys-in-memory-notice", Label.class);
        assertTrue(notice.isVisible() && notice.getText().contains("tests keep keys in memory"), notice.getText());
        assertTrue(availability(robot).isPresent() && !availability(robot).get(), "no key: claude_computer_use is unavailable");

        // the section sits below the fold of Settings, where the robot cannot click: type through the control
        TextInputControl field = node(robot, "#provider-key-field-anthropic", TextInputControl.class);
        robot.interact(() -> field.setText(ANTHROPIC_KEY));
        robot.interact(node(robot, "#provider-key-save-anthropic", Button.class)::fire);
        Await.until(fx(() -> app.secrets.get(ProviderKeys.ANTHROPIC.secretName()).equals(Optional.of(ANTHROPIC_KEY))), WAIT, "the key stored");
        Await.until(fx(() -> text(robot, "#provider-key-state-anthropic").startsWith("saved ••••••••9f3c")), WAIT, "the key shown masked");
        assertEquals("", node(robot, "#provider-key-field-anthropic", TextInputControl.class).getText());
        assertKeyNowhereInClear(node(robot, "#settings", Node.class));
        assertTrue(text(robot, "#provider-key-state-e2b").startsWith("not s"), "the other vendor's row is untouched");
        assertEquals(Optional.of(true), availability(robot), "the create dialog asks the providers again");

        robot.interact(node(robot, "#provider-key-remove-anthropic", Button.class)::fire);
        Await.until(fx(() -> app.secrets.get(ProviderKeys.ANTHROPIC.secretName()).isEmpty()), WAIT, "the key deleted");
        Await.until(fx(() -> text(robot, "#provider-key-state-anthropic").startsWith("not s")), WAIT, "Anthropic key not set again");
        assertEquals(Optional.of(false), availability(robot));
    }

    /** Opens the create-runner dialog, reads whether claude_computer_use is available, closes it. */
    private Optional<Boolean> availability(FxRobot robot) throws Exception {
        robot.interact(() -> app.window.runners().newRunner());
        Await.until(fx(() -> !windowsWithRoot(robot, "create-runner-dialog").isEmpty()), WAIT, "the create dialog");
        @SuppressWarnings("unchecked")
        ComboBox<ProviderInfo> providers = (ComboBox<ProviderInfo>) windowsWithRoot(robot, "create-runner-dialog").get(0)
                .getScene().getRoot().lookup("#create-provider");
        Await.until(fx(() -> !providers.getItems().isEmpty()), WAIT, "the providers offered");
        Optional<Boolean> available = providers.getItems().stream().filter(p -> p.type() == ProviderType.CLAUDE_COMPUTER_USE)
                .findFirst().map(ProviderInfo::available);
        robot.interact(() -> windowsWithRoot(robot, "create-runner-dialog").forEach(Window::hide));
        return available;
    }

    /** No text on screen shows the key; only its last four characters, masked. */
    private static void assertKeyNowhereInClear(Node node) {
        if (node instanceof Labeled l) {
            assertFalse(String.valueOf(l.getText()).contains(ANTHROPIC_KEY.substring(0, 12)), l.getText());
        }
        if (node instanceof TextInputControl t) {
            assertFalse(String.valueOf(t.getText()).contains(ANTHROPIC_KEY.substring(0, 12)), t.getId());
        }
        if (node instanceof ScrollPane sp && sp.getContent() != null) {
            assertKeyNowhereInClear(sp.getContent());
        }
        if (node instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(ComputerUseUiTest::assertKeyNowhereInClear);
        }
    }
}
