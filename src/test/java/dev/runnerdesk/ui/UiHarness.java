package dev.runnerdesk.ui;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.embedded.EmbeddedSettings;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.testutil.ScriptedComputerUseProvider;
import dev.runnerdesk.ui.app.AppServices;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.runners.RunnerRow;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.api.FxRobot;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The app's main window on a real embedded runtime (fake provider, scripted computer use) in a fresh data
 * directory, as the composition root builds it, with a backend factory each test chooses.
 */
final class UiHarness implements AutoCloseable {
    final EmbeddedRuntime runtime;
    final RunnerService service;
    final FxTaskExecutor tasks = new FxTaskExecutor();
    final SecretStore secrets = new MemorySecretStore("tests keep keys in memory");
    final EmbeddedSettings settings;
    /** claude_computer_use as a script: available once the Anthropic key is in {@link #secrets}; none with a given runtime. */
    final ScriptedComputerUseProvider computerUse;
    MainWindow window;

    UiHarness(Path dataDir, Clock clock) {
        computerUse = new ScriptedComputerUseProvider(Optional.of(secrets));
        runtime = new EmbeddedRuntime(dataDir.resolve("t" + System.nanoTime()), clock, List.of(new FakeProvider(), computerUse));
        computerUse.writeTo(runtime::screenshotFile);
        service = runtime.serviceFor(Principal.localUser());
        settings = new EmbeddedSettings(runtime);
    }

    UiHarness(Path dataDir) {
        this(dataDir, Clock.systemUTC());
    }

    /** With every provider of the build (the local sandbox too), as the app runs. */
    UiHarness(EmbeddedRuntime runtime) {
        this.runtime = runtime;
        computerUse = null;
        service = runtime.serviceFor(Principal.localUser());
        settings = new EmbeddedSettings(runtime);
    }

    /** The embedded runtime for "This computer"; gateway profiles as the test says. */
    RunnerServiceFactory factory(RunnerServiceFactory gateways) {
        return (profile, key) -> profile.kind() == ConnectionProfile.Kind.EMBEDDED
                ? runtime.serviceFor(Principal.localUser()) : gateways.open(profile, key);
    }

    RunnerServiceFactory embeddedOnly() {
        return factory((p, k) -> {
            throw new RunnerException.Unavailable("connecting to a gateway is not part of this build yet");
        });
    }

    MainWindow show(Stage stage, RunnerServiceFactory backends, Clock clock) {
        UiPreferences prefs = UiPreferences.load(settings);
        Theme theme = new Theme(false, Theme.Mode.LIGHT);
        theme.apply();
        window = new MainWindow(new AppServices(backends, secrets, settings, new dev.runnerdesk.policy.InProcessPolicyEditorChecks(),
                new dev.runnerdesk.wire.ConnectionProfilesJson(), () -> { }), prefs, theme, tasks, clock);
        window.show(stage);
        return window;
    }

    Runner create() {
        return service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
    }

    @SuppressWarnings("unchecked")
    static TableView<RunnerRow> table(FxRobot robot) {
        return robot.lookup("#runner-table").queryAs(TableView.class);
    }

    /** Every showing window whose scene root has {@code id} (dialogs are windows of their own). */
    static List<Window> windowsWithRoot(FxRobot robot, String id) {
        List<Window> found = new ArrayList<>();
        for (Window w : robot.listWindows()) {
            if (w.isShowing() && w.getScene() != null && id.equals(w.getScene().getRoot().getId())) {
                found.add(w);
            }
        }
        return found;
    }

    /**
     * Reads the scene on the FX thread: a lookup from the test thread can meet a scene graph that is being
     * changed (an IndexOutOfBoundsException deep in {@code lookupAll}) or a skin not made yet.
     */
    static <T> T onFx(java.util.concurrent.Callable<T> read) {
        try {
            return org.testfx.util.WaitForAsyncUtils.asyncFx(read).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("reading the scene on the FX thread failed", e);
        }
    }

    Optional<String> storedKey(String profileId) {
        return secrets.get("gateway-api-key:" + profileId);
    }

    @Override
    public void close() {
        if (window != null) {
            try {
                org.testfx.util.WaitForAsyncUtils.asyncFx(window::close).get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("closing the window failed", e);
            }
        }
        tasks.close();
        runtime.close();
    }
}
