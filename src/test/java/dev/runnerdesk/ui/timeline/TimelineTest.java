package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.testutil.AuditFill;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit timeline in the window, against the real embedded runtime (fake provider), headless: what only the
 * window shows — the filter menu, highlighting, scrolling and follow mode, the detail pane and its links.
 */
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
        return node(robot, "#timeline-table", TableView.class);
    }

    private static int rows(FxRobot robot) {
        return table(robot).getItems().size();
    }

    private static String topRow(FxRobot robot) {
        return table(robot).getItems().get(0).data().toString();
    }

    private Session runnerWithSession() {
        Runner r = app.create();
        return app.service.startSession(r.runnerId(), Optional.empty());
    }

    private void exec(Session s, String... argv) {
        app.service.exec(s.runnerId(), s.sessionId(), new ExecRequest(List.of(argv)));
    }

    @Test
    void theFilesPresetShowsWhatWasUploadedMovedDownloadedAndDeleted(FxRobot robot) {
        Session s = runnerWithSession();
        exec(s, "echo", "hello");
        String id = s.runnerId();
        app.service.writeFile(id, "a.txt", new java.io.ByteArrayInputStream("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        app.service.moveFile(id, "a.txt", "b.txt");
        app.service.readFile(id, "b.txt", 0, -1, java.io.OutputStream.nullOutputStream());
        app.service.deleteFile(id, "b.txt", false);
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        click(robot, "#timeline-types");
        click(robot, "#timeline-preset-files");
        Await.until(fx(() -> rows(robot) == 4), WAIT, "the four file events");
        Set<String> shown = onFx(() -> table(robot).getItems().stream().map(AuditEvent::eventType).collect(Collectors.toSet()));
        assertEquals(Set.of(EventTypes.FILE_WRITTEN, EventTypes.FILE_MOVED, EventTypes.FILE_READ, EventTypes.FILE_DELETED), shown);
        robot.type(KeyCode.ESCAPE);
    }

    @Test
    void theDenialsPresetShowsOnlyDenialsAndTheQueryLineSaysSo(FxRobot robot) {
        Session s = runnerWithSession();
        exec(s, "echo", "hello");
        assertThrows(RunnerException.PolicyDenied.class, () -> exec(s, "curl", "https://example.com"));
        var viewer = app.runtime.serviceFor(new Principal("eve", Role.VIEWER));
        assertThrows(RunnerException.Forbidden.class,
                () -> viewer.exec(s.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "x"))));
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        Await.until(fx(() -> rows(robot) >= 6), WAIT, "the six events of the runner");
        assertEquals("all events of all runners", text(robot, "#timeline-query-line"));
        Await.until(fx(() -> text(robot, "#timeline-chain-badge").startsWith("verified")), WAIT, "the chain verified");

        click(robot, "#timeline-types");
        click(robot, "#timeline-preset-denials");
        Await.until(fx(() -> rows(robot) == 2), WAIT, "the two denials");
        Set<String> shown = onFx(() -> table(robot).getItems().stream().map(AuditEvent::eventType).collect(Collectors.toSet()));
        assertEquals(Set.of(EventTypes.COMMAND_DENIED, EventTypes.AUTH_DENIED), shown);
        assertEquals("type in (auth.denied, command.denied, egress.blocked)", text(robot, "#timeline-query-line"));
        // the badge is set in the same FX runnable as the rows, which this thread may read half-way: wait for it
        Await.until(fx(() -> text(robot, "#timeline-chain-badge").equals("chain check needs the unfiltered view")), WAIT,
                () -> "the badge on a filtered view, not: " + text(robot, "#timeline-chain-badge"));
        robot.type(KeyCode.ESCAPE);

        // one more filter, then one click clears all of them
        click(robot, "#timeline-search").write("curl");
        Await.until(fx(() -> rows(robot) == 1), WAIT, "the curl denial alone");
        assertEquals("type in (auth.denied, command.denied, egress.blocked) · text \"curl\"", text(robot, "#timeline-query-line"));
        // the match is highlighted in the row (cells redraw on the next layout pass)
        Await.until(fx(() -> robot.lookup(".search-hit").queryAll().stream()
                .anyMatch(n -> "curl".equals(((Label) n).getText()))), WAIT, "\"curl\" highlighted in the row");
        click(robot, "#timeline-clear");
        Await.until(fx(() -> rows(robot) >= 6), WAIT, "every event again");
        assertEquals("all events of all runners", text(robot, "#timeline-query-line"));
    }

    @Test
    void followModePausesWhenScrolledAwayAndOffersTheNewEvents(FxRobot robot) throws Exception {
        Session s = runnerWithSession();
        AuditFill.append(app.runtime.dataDir(), 1_000, i -> new AuditFill.Row(EventTypes.COMMAND_EXECUTED, clock.instant(),
                s.runnerId(), s.sessionId(), "local", Map.of("argv", List.of("echo", "n" + i), "exit_code", 0)));
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        Await.until(fx(() -> rows(robot) == 200), WAIT, "the first page");

        // following: a new event appears at the top
        exec(s, "echo", "live-1");
        Await.until(fx(() -> topRow(robot).contains("live-1")), WAIT, "live-1 at the top");

        // scrolled away: following pauses, new events wait behind the button
        robot.interact(() -> table(robot).scrollTo(120));
        Await.until(fx(() -> !app.window.timeline().model().following()), WAIT, "following paused by the scroll");
        AuditEvent top = onFx(() -> table(robot).getItems().get(0));
        exec(s, "echo", "live-2");
        exec(s, "echo", "live-3");
        exec(s, "echo", "live-4");
        Await.until(fx(() -> node(robot, "#timeline-jump-latest", Button.class).isVisible()
                && node(robot, "#timeline-jump-latest", Button.class).getText().equals("3 new events — jump to latest")), WAIT,
                "the jump button offering the three new events");
        assertEquals(top, onFx(() -> table(robot).getItems().get(0)), "the rows did not move under the reader");

        click(robot, "#timeline-jump-latest");
        Await.until(fx(() -> !node(robot, "#timeline-jump-latest", Button.class).isVisible()), WAIT, "the jump button gone");
        assertTrue(onFx(() -> topRow(robot)).contains("live-4"));
        assertTrue(onFx(() -> table(robot).getItems().get(2).data().toString()).contains("live-2"));
        // and following again
        exec(s, "echo", "live-5");
        Await.until(fx(() -> topRow(robot).contains("live-5")), WAIT, "live-5 at the top, following again");
        assertTrue(text(robot, "#timeline-chain-badge").startsWith("verified"), "live events keep the chain checked");
    }

    @Test
    void theDetailPaneShowsEveryFieldAndLinksToTheRunner(FxRobot robot) {
        Session s = runnerWithSession();
        exec(s, "echo", "detail");
        app.service.stopSession(s.runnerId(), s.sessionId());
        app.open(robot, MainWindow.View.TIMELINE, "#timeline-table");
        Await.until(fx(() -> rows(robot) == 5), WAIT, "the runner's five events");
        robot.interact(() -> table(robot).getSelectionModel().select(1)); // command.executed
        assertEquals(EventTypes.COMMAND_EXECUTED, onFx(() -> table(robot).getSelectionModel().getSelectedItem().eventType()));
        // the pane joins the split on selection; its scroll pane shows its content once skinned, a pulse later
        String data = onFx(node(robot, "#timeline-detail-data", TextArea.class)::getText);
        assertTrue(data.startsWith("{\n  \""), "pretty-printed: " + data);
        assertTrue(data.contains("\"detail\""), data);
        assertEquals(s.sessionId(), text(robot, "#timeline-detail-session-link"));
        String hash = onFx(() -> table(robot).getSelectionModel().getSelectedItem().hash());
        assertEquals(hash, text(robot, "#timeline-detail-hash"));

        click(robot, "#timeline-detail-runner-link");
        Await.until(fx(() -> UiHarness.table(robot).getSelectionModel().getSelectedItem() != null), WAIT,
                "the Runners view with the runner selected");
        assertEquals(s.runnerId(), onFx(() -> UiHarness.table(robot).getSelectionModel().getSelectedItem().id()));
    }
}
