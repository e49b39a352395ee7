package dev.runnerdesk.ui.app;

import dev.runnerdesk.ui.common.FxTaskExecutor;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.time.Clock;

/** The JavaFX application: preferences and OS theme read before the window, main window, an orderly exit. */
public final class RunnerDeskApplication extends Application {
    private final FxTaskExecutor tasks = new FxTaskExecutor();
    private UiPreferences prefs;
    private boolean osDark;
    private MainWindow window;

    @Override
    public void init() {
        // the launcher thread, not the FX thread: disk and the OS theme query may take a moment
        prefs = UiPreferences.load(DesktopApp.services().settings());
        osDark = Theme.detectOsDark();
    }

    @Override
    public void start(Stage stage) {
        Theme theme = new Theme(osDark, Theme.parse(prefs.get(UiPreferences.THEME).orElse(null)));
        theme.apply();
        window = new MainWindow(DesktopApp.services(), prefs, theme, tasks, Clock.systemUTC());
        window.show(stage);
        if (DesktopApp.smoke()) {
            SmokeRun.start(DesktopApp.services(), tasks, System.out);
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
        tasks.close();
        // the window is gone: nothing left to freeze, so the last preferences are written here
        prefs.flush();
        DesktopApp.services().onExit().run();
        Platform.exit();
    }
}
