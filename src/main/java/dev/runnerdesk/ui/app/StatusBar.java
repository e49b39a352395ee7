package dev.runnerdesk.ui.app;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.ui.common.NotificationCentre;
import dev.runnerdesk.ui.common.RunningTask;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.runners.RunnerListModel;
import javafx.animation.PauseTransition;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Connection and its health, your role, runner counts by state, and the background tasks with progress. */
final class StatusBar {
    /** Quick tasks never show: a task appears once it has run this long. */
    private static final Duration SHOW_AFTER = Duration.millis(300);
    final HBox root = new HBox(10);
    final Label connection = new Label();
    final Label role = new Label();
    final Label counts = new Label();
    final Label task = new Label();
    final ProgressBar progress = new ProgressBar();
    final Button cancel = new Button("", new FontIcon(Feather.X));
    private final Circle dot = new Circle(4);
    private final TaskExecutor tasks;
    private final PauseTransition delay = new PauseTransition(SHOW_AFTER);
    /** Runner totals by state from the connection, until the runner list has loaded its own (null before). */
    private final ObjectProperty<Map<RunnerState, Integer>> early = new SimpleObjectProperty<>();

    StatusBar(ActiveConnection active, RunnerListModel runners, TaskExecutor tasks, NotificationCentre notifications) {
        this.tasks = tasks;
        root.setId("status-bar");
        root.getStyleClass().add("status-bar");
        root.setAlignment(Pos.CENTER_LEFT);
        root.setPadding(new Insets(4, 12, 4, 12));
        connection.setId("status-connection");
        connection.setGraphic(dot);
        connection.textProperty().bind(Bindings.createStringBinding(() -> active.profileProperty().get().name() + " · "
                + health(active.healthProperty().get(), active.retryInProperty().get()),
                active.profileProperty(), active.healthProperty(), active.retryInProperty()));
        active.healthProperty().addListener((o, was, now) -> styleDot(now));
        styleDot(active.healthProperty().get());
        role.setId("status-role");
        role.textProperty().bind(Bindings.createStringBinding(() -> {
            WhoAmI who = active.whoamiProperty().get();
            return who == null ? "role —" : "role " + who.role().wireName() + (who.betaAccess() ? "" : " · no beta access");
        }, active.whoamiProperty()));
        role.setTooltip(new Tooltip("Your role on this connection: viewer reads, auditor also audits and reads every recording,"
                + " operator runs sessions, admin does all of it and creates and terminates"));
        counts.setId("status-counts");
        List<Observable> deps = new ArrayList<>();
        deps.add(runners.loadedProperty());
        for (RunnerState s : RunnerState.values()) {
            deps.add(runners.count(s));
        }
        deps.add(early);
        // before the Runners view has loaded its list, the counts come from the connection (a total per state)
        // each time the connection comes (back) online it counts again: the generation says so, after the health
        active.generationProperty().addListener((o, was, now) -> {
            early.set(null);
            countEarly(active, runners);
        });
        countEarly(active, runners);
        counts.textProperty().bind(Bindings.createStringBinding(() -> {
            Map<RunnerState, Integer> counted = early.get();
            if (!runners.loadedProperty().get() && counted == null) {
                return "runners —";
            }
            StringBuilder b = new StringBuilder();
            for (RunnerState s : RunnerState.values()) {
                int n = runners.loadedProperty().get() ? runners.count(s).get() : counted.getOrDefault(s, 0);
                if (n > 0) {
                    b.append(b.length() == 0 ? "" : " · ").append(n).append(' ').append(s.wireName());
                }
            }
            return b.length() == 0 ? "no runners" : b.toString();
        }, deps.toArray(Observable[]::new)));

        task.setId("status-tasks");
        progress.setId("status-progress");
        progress.setPrefWidth(120);
        progress.setMinWidth(60);
        cancel.setId("status-task-cancel");
        cancel.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        cancel.setTooltip(new Tooltip("Cancel this background task"));
        cancel.setAccessibleText("Cancel the background task");
        setTaskVisible(false);
        delay.setOnFinished(e -> showTasks());
        tasks.running().addListener((ListChangeListener<RunningTask>) c -> {
            if (tasks.running().isEmpty()) {
                delay.stop();
                setTaskVisible(false);
            } else if (task.isVisible()) {
                showTasks();
            } else {
                delay.playFromStart();
            }
        });

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        for (Label l : new Label[] {connection, role, counts, task}) {
            l.getStyleClass().add(Styles.TEXT_SMALL);
        }
        // in a narrow window the running task's name gives way; the connection, role and counts stay whole
        for (Label l : new Label[] {connection, role, counts}) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        task.setMinWidth(0);
        root.getChildren().addAll(connection, new Separator(Orientation.VERTICAL), role,
                new Separator(Orientation.VERTICAL), counts, spacer, task, progress, cancel, notifications.bell());
    }

    /** Counts the runners by state through the connection, off the FX thread, while the list has not loaded them. */
    private void countEarly(ActiveConnection active, RunnerListModel runners) {
        RunnerService service = active.service();
        if (service == null || active.health() != ActiveConnection.Health.ONLINE || runners.loadedProperty().get()) {
            return;
        }
        int generation = active.generationProperty().get();
        tasks.submit("Counting runners", () -> {
            Map<RunnerState, Integer> byState = new EnumMap<>(RunnerState.class);
            for (RunnerState s : RunnerState.values()) {
                byState.put(s, (int) service.list(new RunnerQuery(Optional.of(s), 1, 0)).total());
            }
            return byState;
        }, byState -> {
            if (generation == active.generationProperty().get()) {
                early.set(byState);
            }
        }, e -> { }); // the connection's own checks say what is wrong with it
    }

    private void showTasks() {
        List<RunningTask> running = tasks.running();
        if (running.isEmpty()) {
            setTaskVisible(false);
            return;
        }
        RunningTask first = running.get(0);
        task.setText(first.description() + (running.size() > 1 ? "  (+" + (running.size() - 1) + " more)" : ""));
        progress.progressProperty().unbind();
        progress.progressProperty().bind(first.progressProperty());
        cancel.setOnAction(e -> first.cancel());
        setTaskVisible(true);
    }

    private void setTaskVisible(boolean visible) {
        for (Node n : new Node[] {task, progress, cancel}) {
            n.setVisible(visible);
            n.setManaged(visible);
        }
    }

    private void styleDot(ActiveConnection.Health h) {
        dot.getStyleClass().setAll("health-dot", "health-" + h.name().toLowerCase());
    }

    static String health(ActiveConnection.Health h, int retryIn) {
        return switch (h) {
            case CONNECTING -> "connecting…";
            case ONLINE -> "online";
            case OFFLINE -> retryIn > 0 ? "offline, retrying in " + retryIn + " s" : "offline, retrying…";
            case BETA_DISABLED -> "no beta access";
            case UNAUTHORIZED -> "API key refused";
            case FAILED -> "cannot connect";
        };
    }
}
