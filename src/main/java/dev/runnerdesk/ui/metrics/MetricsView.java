package dev.runnerdesk.ui.metrics;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.MetricsSample;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The Metrics tab: four small line charts of the last 15 minutes (CPU, memory against its limit, disk against its
 * limit, processes), each with its newest figure in its title ("—" where the provider cannot tell), and under them
 * where the figures come from. Charts without animation or point marks, so a redraw every 5 s stays cheap.
 */
final class MetricsView {
    private static final double MIB = 1024.0 * 1024;
    private final VBox root = new VBox(6);
    final Label status = new Label();
    final Label source = new Label();
    final Chart cpu = new Chart("metrics-cpu", "CPU", "% of one core");
    final Chart memory = new Chart("metrics-memory", "Memory", "MiB");
    final Chart disk = new Chart("metrics-disk", "Disk", "MiB");
    final Chart processes = new Chart("metrics-processes", "Processes", "");
    private final ScrollPane scroll;

    MetricsView() {
        status.setId("metrics-status");
        status.getStyleClass().add(Styles.TEXT_MUTED);
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        source.setId("metrics-source");
        source.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        source.setWrapText(true);
        source.setMinHeight(Region.USE_PREF_SIZE);
        VBox charts = new VBox(4, cpu.box, memory.box, disk.box, processes.box, source);
        charts.setPadding(new Insets(4, 8, 8, 0));
        scroll = new ScrollPane(charts);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(Styles.FLAT);
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        root.setId("metrics-tab");
        root.setPadding(new Insets(6, 0, 0, 0));
        root.getChildren().addAll(status, scroll);
    }

    Node node() {
        return root;
    }

    /** Draws {@code samples} (oldest first) against {@code now}: x is minutes before it. */
    void render(List<MetricsSample> samples, Instant now) {
        MetricsSample newest = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        cpu.plot(samples, now, MetricsSample::cpuPercent, s -> MetricsSample.UNKNOWN);
        cpu.say(newest == null || newest.cpuPercent() < 0 ? "—" : String.format(Locale.ROOT, "%.1f %%", newest.cpuPercent()));
        memory.plot(samples, now, s -> mib(s.memoryBytes()), s -> mib(s.memoryLimitBytes()));
        memory.say(newest == null ? "—" : ofLimit(newest.memoryBytes(), newest.memoryLimitBytes()));
        disk.plot(samples, now, s -> mib(s.diskBytes()), s -> mib(s.diskLimitBytes()));
        disk.say(newest == null ? "—" : ofLimit(newest.diskBytes(), newest.diskLimitBytes()));
        processes.plot(samples, now, s -> s.processes(), s -> MetricsSample.UNKNOWN);
        processes.say(newest == null || newest.processes() < 0 ? "—" : Integer.toString(newest.processes()));
        source.setText(newest == null ? "" : "source: " + sourceName(newest.source()));
    }

    /** Where the figures come from, in words a person reads under the charts. */
    static String sourceName(String source) {
        return switch (source) {
            case "cgroup" -> "cgroup (the sandbox's control group)";
            case "proc" -> "proc (its processes' /proc entries; there is no cgroup here)";
            case "e2b" -> "e2b (E2B's metrics)";
            case "synthetic" -> "synthetic (made-up numbers)";
            default -> source;
        };
    }

    private static double mib(long bytes) {
        return bytes < 0 ? MetricsSample.UNKNOWN : bytes / MIB;
    }

    /** "120.5 MiB of 512.0 MiB", "120.5 MiB" without a limit, "—" when unknown. */
    static String ofLimit(long used, long limit) {
        if (used < 0) {
            return "—";
        }
        return bytes(used) + (limit < 0 ? "" : " of " + bytes(limit));
    }

    static String bytes(long b) {
        return b >= 1024L * 1024 * 1024 ? String.format(Locale.ROOT, "%.2f GiB", b / (MIB * 1024))
                : String.format(Locale.ROOT, "%.1f MiB", b / MIB);
    }

    /** One chart: a title with the newest figure, the used line and (where known) the limit line, dashed. */
    static final class Chart {
        final VBox box = new VBox(0);
        final Label title = new Label();
        final LineChart<Number, Number> chart;
        private final XYChart.Series<Number, Number> used = new XYChart.Series<>();
        private final XYChart.Series<Number, Number> limit = new XYChart.Series<>();
        private final String name;

        Chart(String id, String name, String unit) {
            this.name = name;
            NumberAxis x = new NumberAxis(-15, 0, 5);
            x.setAutoRanging(false);
            x.setMinorTickVisible(false);
            x.setTickLabelFormatter(new NumberAxis.DefaultFormatter(x) {
                @Override
                public String toString(Number n) {
                    int m = (int) Math.round(-n.doubleValue());
                    return m == 0 ? "now" : m + " min ago";
                }
            });
            NumberAxis y = new NumberAxis();
            y.setForceZeroInRange(true);
            y.setMinorTickVisible(false);
            y.setLabel(unit.isEmpty() ? null : unit);
            chart = new LineChart<>(x, y);
            chart.setId(id);
            chart.setAnimated(false);
            chart.setCreateSymbols(false);
            chart.setLegendVisible(false);
            chart.setHorizontalGridLinesVisible(true);
            chart.setVerticalGridLinesVisible(false);
            chart.setPrefHeight(150);
            chart.setMinHeight(120);
            chart.setPadding(new Insets(0));
            used.setName(name);
            limit.setName(name + " limit");
            chart.getData().add(used);
            chart.getData().add(limit);
            title.setId(id + "-title");
            title.getStyleClass().add(Styles.TEXT_BOLD);
            title.setText(name + "  —");
            box.getChildren().addAll(title, chart);
        }

        void say(String figure) {
            title.setText(name + "  " + figure);
        }

        void plot(List<MetricsSample> samples, Instant now, ToDoubleFunction<MetricsSample> value,
                  ToDoubleFunction<MetricsSample> limitOf) {
            List<XYChart.Data<Number, Number>> points = new ArrayList<>();
            List<XYChart.Data<Number, Number>> limits = new ArrayList<>();
            for (MetricsSample s : samples) {
                double minutes = (s.at().toEpochMilli() - now.toEpochMilli()) / 60_000.0;
                if (minutes < -15) {
                    continue;
                }
                double v = value.applyAsDouble(s);
                if (v >= 0) { // unknown figures are left out of the line, never drawn as zero
                    points.add(new XYChart.Data<>(minutes, v));
                }
                double l = limitOf.applyAsDouble(s);
                if (l >= 0) {
                    limits.add(new XYChart.Data<>(minutes, l));
                }
            }
            used.getData().setAll(points);
            limit.getData().setAll(limits);
            if (limit.getNode() != null) {
                limit.getNode().setStyle("-fx-stroke-dash-array: 6 4; -fx-stroke-width: 1.5; -fx-opacity: 0.8;");
            }
        }

        /** The points of the used line now (tests). */
        int points() {
            return used.getData().size();
        }
    }
}
