package dev.runnerdesk.ui;

import dev.runnerdesk.core.BackendFactory;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.embedded.EmbeddedSettings;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.ui.app.AppServices;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.connections.ConnectionProfiles;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Puts the real app (embedded runtime in a data directory the CLI filled) into one state for a screenshot
 * under Xvfb: {@code runners}, {@code detail}, {@code create-dialog}, {@code beta-banner}, {@code settings}.
 * Usage: {@code ScreenshotMain SCENE light|dark DATA_DIR}; the window fills the 1280×800 screen at 0,0.
 */
public final class ScreenshotMain {
    private ScreenshotMain() {
    }

    public static void main(String[] args) {
        String scene = args[0];
        boolean dark = "dark".equals(args[1]);
        EmbeddedRuntime runtime = EmbeddedRuntime.open(Path.of(args[2]));
        runtime.startBackgroundWork(java.time.Duration.ofSeconds(1));
        EmbeddedSettings settings = new EmbeddedSettings(runtime);
        ConnectionProfile team = ConnectionProfile.gateway("gw_team", "Team gateway", "https://gateway.example.com", false);
        settings.put(UiPreferences.PROFILES, ConnectionProfiles.encode(List.of(team)));
        settings.put(UiPreferences.ACTIVE_PROFILE, scene.equals("beta-banner") ? team.id() : ConnectionProfile.EMBEDDED_ID);
        settings.put(UiPreferences.LAST_VIEW, scene.equals("settings") ? "settings" : "runners");
        settings.put(UiPreferences.WINDOW, "0,0,1280,800,false");
        MemorySecretStore secrets = new MemorySecretStore("no OS keychain backend here: No available keyring backend found");
        secrets.put(team.secretName(), "cm_sk_demo_0000000000001a2b");
        BackendFactory backends = (profile, key) -> profile.kind() == ConnectionProfile.Kind.EMBEDDED
                ? runtime.serviceFor(Principal.localUser()) : betaGated();
        UiPreferences prefs = UiPreferences.load(settings);
        Platform.startup(() -> {
            Theme theme = new Theme(dark, Theme.Mode.SYSTEM);
            theme.apply();
            FxTaskExecutor tasks = new FxTaskExecutor();
            MainWindow window = new MainWindow(new AppServices(backends, secrets, settings, new dev.runnerdesk.policy.PolicyChecks(), runtime::close), prefs, theme,
                    tasks, Clock.systemUTC());
            Stage stage = new Stage();
            window.show(stage);
            PauseTransition later = new PauseTransition(Duration.seconds(2));
            later.setOnFinished(e -> {
                switch (scene) {
                    case "create-dialog" -> window.runners().newRunner();
                    case "detail" -> runtime.serviceFor(Principal.localUser()).list(RunnerQuery.firstPage()).runners().stream()
                            .filter(r -> r.state() == RunnerState.RUNNING).findFirst()
                            .ifPresent(r -> window.runners().select(r.runnerId()));
                    default -> { }
                }
            });
            later.play();
        });
    }

    /** A gateway for an account without the beta: every call is refused with BetaNotEnabled. */
    private static RunnerService betaGated() {
        return (RunnerService) Proxy.newProxyInstance(RunnerService.class.getClassLoader(), new Class<?>[] {RunnerService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "beta-gated gateway";
                        };
                    }
                    throw new RunnerException.BetaNotEnabled("managed runners are not enabled for this account");
                });
    }
}
