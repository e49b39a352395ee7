package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.Runner;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** One line of the runner table; a live update changes its runner in place, so selection and scroll stay. */
public final class RunnerRow {
    private final String id;
    final ObjectProperty<Runner> runner;
    /** The newest resource sample, for the optional CPU and memory columns; null until sampled. */
    final ObjectProperty<MetricsSample> sample = new SimpleObjectProperty<>();

    RunnerRow(Runner runner) {
        this.id = runner.runnerId();
        this.runner = new SimpleObjectProperty<>(runner);
    }

    public String id() {
        return id;
    }

    public Runner runner() {
        return runner.get();
    }

    @Override
    public String toString() {
        return id;
    }
}
