package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.ui.UiHarness;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.table;
import static dev.runnerdesk.ui.UiHarness.windowsWithRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filtering, bulk actions and the TTL countdown of the runner list, on the embedded runtime. */
@ExtendWith(ApplicationExtension.class)
class RunnerListTest {
    @TempDir
    static Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    private UiHarness app;
    private List<Runner> runners;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir, clock);
        runners = List.of(app.create(), app.create(), app.create(), app.create());
        app.show(stage, app.embeddedOnly(), clock);
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(() -> windowsWithRoot(robot, "confirm-dialog").forEach(w -> w.hide()));
        app.close();
    }

    @Test
    void stateChipsFilterTheListAndCountEachState(FxRobot robot) throws Exception {
        Await.until(fx(() -> table(robot).getItems().size() == 4), WAIT, "the four runners listed");
        app.service.terminate(runners.get(0).runnerId());
        Await.until(fx(() -> node(robot, "#state-chip-terminated", Labeled.class).getText().endsWith(" 1")), WAIT, "one runner counted terminated");
        assertTrue(node(robot, "#state-chip-ready", Labeled.class).getText().endsWith(" 3"));

        click(robot, "#state-chip-terminated");
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "only the terminated runner");
        assertEquals(runners.get(0).runnerId(), table(robot).getItems().get(0).id());

        click(robot, "#state-chip-ready");
        Await.until(fx(() -> table(robot).getItems().size() == 4), WAIT, "the four runners again");
        click(robot, "#state-chip-terminated");
        Await.until(fx(() -> table(robot).getItems().size() == 3), WAIT, "the three ready runners");
        assertTrue(table(robot).getItems().stream().allMatch(r -> r.runner().state() == RunnerState.READY));

        // the text filter narrows further, by id
        click(robot, "#state-chip-all");
        String id = runners.get(2).runnerId();
        click(robot, "#runner-filter").write(id.substring(id.length() - 6));
        Await.until(fx(() -> table(robot).getItems().size() == 1), WAIT, "the runner the filter names");
        assertEquals(id, table(robot).getItems().get(0).id());
    }

    @Test
    void bulkTerminateOfThreeRunnersAsksOnceAndTerminatesThem(FxRobot robot) throws Exception {
        Await.until(fx(() -> table(robot).getItems().size() == 4), WAIT, "the four runners listed");
        List<String> chosen = table(robot).getItems().subList(0, 3).stream().map(RunnerRow::id).toList();
        robot.clickOn(chosen.get(0));
        robot.press(KeyCode.CONTROL).clickOn(chosen.get(1)).clickOn(chosen.get(2)).release(KeyCode.CONTROL);
        assertEquals(3, table(robot).getSelectionModel().getSelectedItems().size());

        robot.type(KeyCode.DELETE);
        Await.until(fx(() -> windowsWithRoot(robot, "confirm-dialog").size() == 1), WAIT, "the confirmation");
        DialogPane confirm = (DialogPane) windowsWithRoot(robot, "confirm-dialog").get(0).getScene().getRoot();
        assertEquals("Terminate 3 runners?", confirm.getHeaderText());
        chosen.forEach(id -> assertTrue(confirm.getContentText().contains(id), "the confirmation names " + id));

        click(robot, "#confirm-ok");
        Await.until(fx(() -> chosen.stream()
                .allMatch(id -> app.service.get(id).state() == RunnerState.TERMINATED)), WAIT, "the three runners terminated");
        Await.until(fx(() -> table(robot).getItems().stream()
                .filter(r -> r.runner().state() == RunnerState.TERMINATED).count() == 3), WAIT, "three rows terminated");
        assertTrue(windowsWithRoot(robot, "confirm-dialog").isEmpty(), "one confirmation for all three");
        Set<String> stillReady = table(robot).getItems().stream().filter(r -> r.runner().state() == RunnerState.READY)
                .map(RunnerRow::id).collect(Collectors.toSet());
        assertEquals(1, stillReady.size());
        // the notification follows the last of the three calls, which may come after the rows changed
        Await.until(fx(() -> app.window.notifier().history().stream().anyMatch(m -> m.startsWith("Terminated 3 runners"))), WAIT, "the notification of the three");
    }

    @Test
    void theTtlCountdownGoesDownWithTheClock(FxRobot robot) throws Exception {
        Await.until(fx(() -> table(robot).getItems().size() == 4), WAIT, "the four runners listed");
        Await.until(fx(() -> firstTtl(robot).equals("1:00:00")), WAIT, "a full hour left");
        clock.advance(Duration.ofMinutes(10).plusSeconds(5));
        Await.until(fx(() -> firstTtl(robot).equals("49:55")), WAIT, "49:55 left");
    }

    private static String firstTtl(FxRobot robot) {
        return robot.lookup(".ttl-cell").queryAll().stream().map(n -> ((TableCell<?, ?>) n).getText())
                .filter(t -> t != null && !t.isEmpty()).findFirst().orElse("");
    }
}
