package dev.runnerdesk.ui.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/** The JavaFX application: theme, main window, and an orderly exit. */
public final class RunnerDeskApplication extends Application {
    private final FxTaskExecutor tasks = new FxTaskExecutor();
    private MainWindow window;

    @Override
    public void start(Stage stage) {
        boolean dark = "dark".equalsIgnoreCase(System.getProperty("runnerdesk.theme", ""));
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        window = new MainWindow(DesktopApp.service(), tasks);
        window.show(stage);
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
        tasks.close();
        DesktopApp.exited();
        Platform.exit();
    }
}
