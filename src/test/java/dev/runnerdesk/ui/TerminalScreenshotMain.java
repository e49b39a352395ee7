package dev.runnerdesk.ui;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.embedded.EmbeddedSettings;
import dev.runnerdesk.policy.InProcessPolicyEditorChecks;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.ui.app.AppServices;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.terminal.TerminalHolder;
import dev.runnerdesk.wire.ConnectionProfilesJson;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The app with the running runner's terminal open and a few commands typed, for the README screenshot.
 * Usage: {@code TerminalScreenshotMain light|dark DATA_DIR} (a data dir with a running local runner).
 */
public final class TerminalScreenshotMain {
    private TerminalScreenshotMain() {
    }

    public static void main(String[] args) {
        boolean dark = "dark".equals(args[0]);
        EmbeddedRuntime runtime = EmbeddedRuntimes.open(Path.of(args[1]));
        EmbeddedSettings settings = new EmbeddedSettings(runtime);
        settings.put(UiPreferences.LAST_VIEW, "runners");
        settings.put(UiPreferences.ACTIVE_PROFILE, ConnectionProfile.EMBEDDED_ID);
        settings.put(UiPreferences.WINDOW, "0,0,1280,800,false");
        var service = runtime.serviceFor(Principal.localUser());
        var runner = service.list(RunnerQuery.firstPage()).runners().stream().filter(r -> r.state() == RunnerState.RUNNING)
                .findFirst().orElseThrow();
        String session = runner.activeSession().orElseThrow().sessionId();
        Platform.startup(() -> {
            Theme theme = new Theme(dark, Theme.Mode.SYSTEM);
            theme.apply();
            MainWindow window = new MainWindow(new AppServices((p, k) -> service, new MemorySecretStore("demo"), settings,
                    new InProcessPolicyEditorChecks(), new ConnectionProfilesJson(), runtime::close), UiPreferences.load(settings), theme, new FxTaskExecutor(), Clock.systemUTC());
            Stage stage = new Stage();
            window.show(stage);
            PauseTransition select = new PauseTransition(Duration.seconds(2));
            select.setOnFinished(e -> {
                window.runners().select(runner.runnerId());
                PauseTransition type = new PauseTransition(Duration.seconds(2));
                type.setOnFinished(e2 -> {
                    stage.getScene().getRoot().lookupAll(".tab-pane").forEach(n -> ((TabPane) n)
                            .getTabs().stream().filter(t -> ("session-tab-" + session).equals(t.getId())).findFirst()
                            .ifPresent(t -> t.getTabPane().getSelectionModel().select(t)));
                    PauseTransition run = new PauseTransition(Duration.seconds(2));
                    run.setOnFinished(e3 -> {
                        TerminalHolder holder = (TerminalHolder) stage.getScene().lookup("#terminal-holder");
                        holder.terminal().send("ls --color=always -l; echo; printf '\\033[1;35mhello\\033[0m from %s\\n' \"$(uname -s)\"\r");
                    });
                    run.play();
                });
                type.play();
            });
            select.play();
        });
    }
}
