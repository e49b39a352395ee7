package dev.runnerdesk.ui.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.util.Optional;

/** The JavaFX application: theme, main window, and an orderly exit. */
public final class RunnerDeskApplication extends Application {
    private final FxTaskExecutor tasks = new FxTaskExecutor();
    private MainWindow window;

    @Override
    public void start(Stage stage) {
        boolean dark = "dark".equalsIgnoreCase(System.getProperty("runnerdesk.theme", ""));
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        AppServices services = DesktopApp.services();
        window = new MainWindow(services.backends().open(ConnectionProfile.thisComputer(), Optional.empty()), tasks);
        window.show(stage);
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
        tasks.close();
        DesktopApp.services().onExit().run();
        Platform.exit();
    }
}
