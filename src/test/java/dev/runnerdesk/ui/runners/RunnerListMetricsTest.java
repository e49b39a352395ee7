package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Clock;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner list's CPU and memory columns: off by default; turned on, the rows on screen fill with their samples. */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class RunnerListMetricsTest {
    @TempDir
    Path dir;
    private UiHarness app;
    private Runner runner;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dir);
        runner = app.create();
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @SuppressWarnings("unchecked")
    private static TableColumn<RunnerRow, MetricsSample> column(TableView<RunnerRow> table, String id) {
        return (TableColumn<RunnerRow, MetricsSample>) table.getColumns().stream().filter(c -> id.equals(c.getId()))
                .findFirst().orElseThrow();
    }

    @Test
    void theCpuColumnIsOffByDefaultAndFillsOnceTurnedOn(FxRobot robot) {
        TableView<RunnerRow> table = UiHarness.table(robot);
        Await.until(fx(() -> table.getItems().size() == 1), WAIT, "the runner listed");
        TableColumn<RunnerRow, MetricsSample> cpu = onFx(() -> column(table, "cpu"));
        TableColumn<RunnerRow, MetricsSample> memory = onFx(() -> column(table, "memory"));
        assertFalse(onFx(cpu::isVisible), "CPU off by default");
        assertFalse(onFx(memory::isVisible), "memory off by default");
        assertTrue(onFx(() -> table.getItems().get(0).sample.get() == null), "nothing sampled while they are off");

        robot.interact(() -> cpu.setVisible(true));
        Await.until(fx(() -> table.getItems().get(0).sample.get() != null), WAIT, "the visible row sampled");
        Await.until(fx(() -> robot.lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .anyMatch(c -> c.getTableColumn() == cpu && c.getText() != null && c.getText().matches("\\d+\\.\\d %"))),
                WAIT, "the CPU figure shown");
        Await.until(() -> app.settings.get(UiPreferences.RUNNER_COLUMNS).map(s -> s.contains("cpu:") && !s.matches(".*cpu:\\d+:hidden.*"))
                .orElse(false), WAIT, "remembered as shown");
        assertTrue(onFx(cpu::isVisible));
        assertTrue(runner.runnerId().equals(onFx(() -> table.getItems().get(0).id())));
    }
}
