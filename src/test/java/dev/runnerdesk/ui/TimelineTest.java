package dev.runnerdesk.ui;

import dev.runnerdesk.testutil.AuditFill;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit timeline against the real embedded runtime (fake provider), headless. */
@ExtendWith(ApplicationExtension.class)
class TimelineTest {
    @TempDir
    static Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir, clock);
        app.show(stage, app.embeddedOnly(), clock);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @SuppressWarnings("unchecked")
    private static TableView<AuditEvent> table(FxRobot robot) {
        return robot.lookup("#timeline-table").queryAs(TableView.class);
    }

    private static String text(FxRobot robot, String id) {
        return UiHarness.onFx(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    private void openTimeline(FxRobot robot) {
        robot.interact(() -> app.window.navigate(MainWindow.View.TIMELINE));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Session runnerWithSession() {
        Runner r = app.create();
        return app.service.startSession(r.runnerId(), Optional.empty());
    }

    private void exec(Session s, String... argv) {
        app.service.exec(s.runnerId(), s.sessionId(), new ExecRequest(List.of(argv)));
    }

    @Test
    void theDenialsPresetShowsOnlyDenialsAndTheQueryLineSaysSo(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "hello");
        assertThrows(RunnerException.PolicyDenied.class, () -> exec(s, "curl", "https://example.com"));
        var viewer = app.runtime.serviceFor(new Principal("eve", Role.VIEWER));
        assertThrows(RunnerException.Forbidden.class,
                () -> viewer.exec(s.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "x"))));
        openTimeline(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() >= 6);
        assertEquals("all events of all runners", text(robot, "#timeline-query-line"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#timeline-chain-badge").startsWith("verified"));

        robot.clickOn("#timeline-types");
        robot.clickOn("#timeline-preset-denials");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 2);
        Set<String> shown = new HashSet<>();
        table(robot).getItems().forEach(e -> shown.add(e.eventType()));
        assertEquals(Set.of(EventTypes.COMMAND_DENIED, EventTypes.AUTH_DENIED), shown);
        assertEquals("type in (auth.denied, command.denied, egress.blocked)", text(robot, "#timeline-query-line"));
        // the badge is set in the same FX runnable as the rows, which this thread may read half-way: wait for it
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> text(robot, "#timeline-chain-badge").equals("chain check needs the unfiltered view"));
        robot.type(javafx.scene.input.KeyCode.ESCAPE);

        // one more filter, then one click clears all of them
        robot.clickOn("#timeline-search").write("curl");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 1);
        assertEquals("type in (auth.denied, command.denied, egress.blocked) · text \"curl\"", text(robot, "#timeline-query-line"));
        // the match is highlighted in the row (cells redraw on the next layout pass)
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".search-hit").queryAll().stream()
                .anyMatch(n -> "curl".equals(((Label) n).getText())));
        robot.clickOn("#timeline-clear");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() >= 6);
        assertEquals("all events of all runners", text(robot, "#timeline-query-line"));
    }

    @Test
    void followModePausesWhenScrolledAwayAndOffersTheNewEvents(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        AuditFill.append(app.runtime.dataDir(), 1_000, i -> new AuditFill.Row(EventTypes.COMMAND_EXECUTED, clock.instant(),
                s.runnerId(), s.sessionId(), "local", Map.of("argv", List.of("echo", "n" + i), "exit_code", 0)));
        openTimeline(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 200);

        // following: a new event appears at the top
        exec(s, "echo", "live-1");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().get(0).data().toString().contains("live-1"));

        // scrolled away: following pauses, new events wait behind the button
        robot.interact(() -> table(robot).scrollTo(120));
        WaitForAsyncUtils.waitForFxEvents();
        AuditEvent top = table(robot).getItems().get(0);
        exec(s, "echo", "live-2");
        exec(s, "echo", "live-3");
        exec(s, "echo", "live-4");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#timeline-jump-latest").query().isVisible()
                && robot.lookup("#timeline-jump-latest").queryAs(javafx.scene.control.Button.class).getText()
                .equals("3 new events — jump to latest"));
        assertEquals(top, table(robot).getItems().get(0), "the rows did not move under the reader");

        robot.clickOn("#timeline-jump-latest");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !robot.lookup("#timeline-jump-latest").query().isVisible());
        assertTrue(table(robot).getItems().get(0).data().toString().contains("live-4"));
        assertTrue(table(robot).getItems().get(2).data().toString().contains("live-2"));
        // and following again
        exec(s, "echo", "live-5");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().get(0).data().toString().contains("live-5"));
        assertTrue(text(robot, "#timeline-chain-badge").startsWith("verified"), "live events keep the chain checked");
    }

    @Test
    void theDetailPaneShowsEveryFieldAndLinksToTheRunner(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "detail");
        app.service.stopSession(s.runnerId(), s.sessionId());
        openTimeline(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 5);
        robot.interact(() -> table(robot).getSelectionModel().select(1)); // command.executed
        assertEquals(EventTypes.COMMAND_EXECUTED, table(robot).getSelectionModel().getSelectedItem().eventType());
        // the pane joins the split on selection; its scroll pane shows its content once skinned, a pulse later
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> UiHarness.onFx(() -> robot.lookup("#timeline-detail-data").tryQuery().isPresent()));
        String data = robot.lookup("#timeline-detail-data").queryAs(TextArea.class).getText();
        assertTrue(data.startsWith("{\n  \""), "pretty-printed: " + data);
        assertTrue(data.contains("\"detail\""), data);
        assertEquals(s.sessionId(), robot.lookup("#timeline-detail-session-link").queryAs(javafx.scene.control.Hyperlink.class).getText());
        String hash = table(robot).getSelectionModel().getSelectedItem().hash();
        assertEquals(hash, text(robot, "#timeline-detail-hash"));

        robot.clickOn("#timeline-detail-runner-link");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#runner-table").tryQuery().isPresent()
                && UiHarness.table(robot).getSelectionModel().getSelectedItem() != null);
        assertEquals(s.runnerId(), UiHarness.table(robot).getSelectionModel().getSelectedItem().id());
    }
}
