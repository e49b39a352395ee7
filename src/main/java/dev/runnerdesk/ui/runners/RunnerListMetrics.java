package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Pos;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.util.Duration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The runner table's optional CPU and memory columns (hidden until the person shows them from the column menu) and
 * what fills them: every {@link MetricsSample#INTERVAL}, while the Runners view is shown and one of them is, the rows
 * on screen (the table's visible cells, not the whole list) that are live are asked for their newest sample, off the
 * FX thread, one round at a time.
 */
final class RunnerListMetrics {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final TableView<RunnerRow> table;
    private final List<TableColumn<RunnerRow, MetricsSample>> columns;
    private final Timeline poller;
    private boolean active;
    private boolean asking;

    RunnerListMetrics(ActiveConnection connection, TaskExecutor tasks, TableView<RunnerRow> table,
                      List<TableColumn<RunnerRow, MetricsSample>> columns) {
        this.connection = connection;
        this.tasks = tasks;
        this.table = table;
        this.columns = columns;
        poller = new Timeline(new KeyFrame(Duration.millis(MetricsSample.INTERVAL.toMillis()), e -> sample()));
        poller.setCycleCount(Timeline.INDEFINITE);
        columns.forEach(c -> c.visibleProperty().addListener((o, was, now) -> follow()));
    }

    /** The CPU column: "23.4 %" of one core, "—" when unknown or not sampled yet. */
    static TableColumn<RunnerRow, MetricsSample> cpuColumn() {
        TableColumn<RunnerRow, MetricsSample> c = column("cpu", "CPU", 70, s -> s.cpuPercent());
        c.setCellFactory(col -> cell(s -> s.cpuPercent() < 0 ? "—" : String.format(Locale.ROOT, "%.1f %%", s.cpuPercent()),
                s -> "CPU " + (s.cpuPercent() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f %% of one core", s.cpuPercent()))));
        return c;
    }

    /** The memory column: "120 MiB", with the limit on hover; "—" when unknown. */
    static TableColumn<RunnerRow, MetricsSample> memoryColumn() {
        TableColumn<RunnerRow, MetricsSample> c = column("memory", "Memory", 90, s -> s.memoryBytes());
        c.setCellFactory(col -> cell(s -> s.memoryBytes() < 0 ? "—" : mib(s.memoryBytes()),
                s -> "Memory " + (s.memoryBytes() < 0 ? "unknown" : mib(s.memoryBytes()))
                        + (s.memoryLimitBytes() < 0 ? "" : " of " + mib(s.memoryLimitBytes()))));
        return c;
    }

    private static TableColumn<RunnerRow, MetricsSample> column(String id, String name, double width,
                                                                ToDoubleFunction<MetricsSample> order) {
        TableColumn<RunnerRow, MetricsSample> c = new TableColumn<>(name);
        c.setId(id);
        c.setPrefWidth(width);
        c.setVisible(false); // off until the person turns it on: sampling costs the backend
        c.setCellValueFactory(f -> f.getValue().sample);
        c.setComparator(Comparator.nullsFirst(Comparator.comparingDouble(order)));
        return c;
    }

    private static TableCell<RunnerRow, MetricsSample> cell(java.util.function.Function<MetricsSample, String> text,
                                                            java.util.function.Function<MetricsSample, String> tip) {
        return new TableCell<>() {
            @Override
            protected void updateItem(MetricsSample s, boolean empty) {
                super.updateItem(s, empty);
                setAlignment(Pos.CENTER_RIGHT);
                setText(empty ? null : s == null ? "—" : text.apply(s));
                setTooltip(empty || s == null ? null : new Tooltip(tip.apply(s) + " (" + s.source() + ")"));
            }
        };
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024));
    }

    /** The Runners view is shown (true) or hidden: sampled only while shown. */
    void setActive(boolean on) {
        active = on;
        follow();
    }

    private void follow() {
        boolean wanted = active && columns.stream().anyMatch(TableColumn::isVisible);
        if (wanted && poller.getStatus() != Animation.Status.RUNNING) {
            poller.play();
            sample();
        } else if (!wanted) {
            poller.stop();
        }
    }

    /** The live rows whose cells are on screen now. */
    List<RunnerRow> visibleRows() {
        List<RunnerRow> rows = new ArrayList<>();
        if (!(table.lookup(".virtual-flow") instanceof VirtualFlow<?> flow)) {
            return rows;
        }
        IndexedCell<?> first = flow.getFirstVisibleCell();
        IndexedCell<?> last = flow.getLastVisibleCell();
        if (first == null || last == null) {
            return rows;
        }
        for (int i = Math.max(0, first.getIndex()); i <= last.getIndex() && i < table.getItems().size(); i++) {
            RunnerRow row = table.getItems().get(i);
            if (!row.runner().state().isFinal()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private void sample() {
        RunnerService service = connection.service();
        if (asking || service == null || !active) {
            return;
        }
        List<RunnerRow> rows = visibleRows();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Instant> since = new HashMap<>();
        rows.forEach(r -> since.put(r.id(), r.sample.get() == null ? Instant.EPOCH : r.sample.get().at()));
        asking = true;
        tasks.submit("Sample " + rows.size() + " runners for the list", () -> {
            Map<String, MetricsSample> newest = new HashMap<>();
            for (Map.Entry<String, Instant> e : since.entrySet()) {
                try {
                    List<MetricsSample> got = service.metrics(e.getKey(), e.getValue());
                    if (!got.isEmpty()) {
                        newest.put(e.getKey(), got.get(got.size() - 1));
                    }
                } catch (RuntimeException ignored) {
                    // that row keeps its figure ("—" when it has none); the others are still filled
                }
            }
            return newest;
        }, newest -> {
            asking = false;
            for (RunnerRow r : rows) {
                MetricsSample s = newest.get(r.id());
                if (s != null) {
                    r.sample.set(s);
                }
            }
        }, e -> asking = false);
    }
}
