package dev.runnerdesk.ui.app;

import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.runners.RunnerListController;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

import java.util.Objects;

/** The main window: the runner list for now; navigation arrives with the views behind it. */
public final class MainWindow {
    private final RunnerListController runners;
    private final BorderPane root = new BorderPane();

    public MainWindow(RunnerService service, TaskExecutor tasks) {
        runners = new RunnerListController(service, tasks);
        root.setId("main-window");
        root.setCenter(runners.view());
    }

    public Parent root() {
        return root;
    }

    public void show(Stage stage) {
        Scene scene = new Scene(root, 1100, 680);
        scene.getStylesheets().add(Objects.requireNonNull(MainWindow.class.getResource("/dev/runnerdesk/ui/app.css")).toExternalForm());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), runners::reload);
        stage.setTitle("RunnerDesk");
        stage.setScene(scene);
        stage.show();
        runners.activate();
    }

    public void close() {
        runners.deactivate();
    }
}
