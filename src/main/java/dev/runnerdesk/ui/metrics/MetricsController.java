package dev.runnerdesk.ui.metrics;

import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.util.Duration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runner detail's Metrics tab: asks the service for the shown runner's samples every {@link MetricsSample#INTERVAL}
 * while the tab is shown (each question after the newest sample it has), keeps the last {@link MetricsSample#KEPT} of
 * them and draws them. It stops asking when the tab is hidden, another runner is shown, or the runner has ended. One
 * question at a time, off the FX thread.
 */
public final class MetricsController {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    final MetricsView view = new MetricsView();
    private final Timeline poller;
    /** The shown runner's samples, oldest first. */
    private final List<MetricsSample> samples = new ArrayList<>();
    private Runner runner;
    private boolean showing;
    private boolean asking;
    private int generation;

    public MetricsController(ActiveConnection connection, TaskExecutor tasks) {
        this.connection = connection;
        this.tasks = tasks;
        poller = new Timeline(new KeyFrame(Duration.millis(MetricsSample.INTERVAL.toMillis()), e -> poll()));
        poller.setCycleCount(Timeline.INDEFINITE);
        view.node().getProperties().put(MetricsController.class, this);
        view.status.setText("Select a runner to see its metrics");
    }

    /** The controller of a Metrics tab's root node (tests reach it through the scene). */
    public static Optional<MetricsController> of(Node root) {
        return Optional.ofNullable((MetricsController) root.getProperties().get(MetricsController.class));
    }

    public Node view() {
        return view.node();
    }

    /** Shows {@code runner}'s metrics (null: none); another runner starts afresh. */
    public void show(Runner next) {
        boolean same = runner != null && next != null && runner.runnerId().equals(next.runnerId());
        runner = next;
        if (!same) {
            generation++;
            asking = false;
            samples.clear();
            view.render(samples, Instant.now());
            view.status.setText(next == null ? "Select a runner to see its metrics"
                    : next.state().isFinal() ? "The runner has ended; it has no metrics now." : "Reading the metrics…");
        }
        follow();
    }

    /** The tab is shown (true) or hidden: samples are asked for only while it is shown. */
    public void setShowing(boolean on) {
        showing = on;
        follow();
    }

    private void follow() {
        boolean live = runner != null && !runner.state().isFinal();
        if (showing && live) {
            if (poller.getStatus() != javafx.animation.Animation.Status.RUNNING) {
                poller.play();
                poll();
            }
        } else {
            poller.stop();
            if (runner != null && runner.state().isFinal() && !samples.isEmpty()) {
                view.status.setText("The runner has ended; these are its last figures.");
            }
        }
    }

    private void poll() {
        RunnerService service = connection.service();
        if (asking || runner == null || service == null) {
            return;
        }
        String runnerId = runner.runnerId();
        Instant since = samples.isEmpty() ? Instant.EPOCH : samples.get(samples.size() - 1).at();
        int gen = generation;
        asking = true;
        tasks.submit("Read the metrics of " + runnerId, () -> service.metrics(runnerId, since), got -> {
            if (gen != generation) {
                return;
            }
            asking = false;
            take(got);
        }, e -> {
            if (gen != generation) {
                return;
            }
            asking = false;
            if (!connection.report(e)) {
                view.status.setText("Cannot read the metrics of " + runnerId + ": " + Notifier.describe(e));
            }
        });
    }

    private void take(List<MetricsSample> got) {
        for (MetricsSample s : got) {
            if (samples.isEmpty() || s.at().isAfter(samples.get(samples.size() - 1).at())) {
                samples.add(s);
            }
        }
        Instant newest = samples.isEmpty() ? Instant.now() : samples.get(samples.size() - 1).at();
        Instant oldest = newest.minus(MetricsSample.KEPT);
        samples.removeIf(s -> s.at().isBefore(oldest));
        view.status.setText(samples.isEmpty() ? "No samples yet; they come every " + MetricsSample.INTERVAL.toSeconds() + " s"
                : "Last 15 minutes, sampled every " + MetricsSample.INTERVAL.toSeconds() + " s while this tab is shown");
        view.render(samples, newest);
    }

    /** The samples held now (tests). */
    List<MetricsSample> samples() {
        return List.copyOf(samples);
    }

    /** Whether the tab asks for samples now (tests). */
    boolean polling() {
        return poller.getStatus() == javafx.animation.Animation.Status.RUNNING;
    }
}
