package dev.runnerdesk.ui;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.KeyStorage;
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
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.policy.InProcessPolicyEditorChecks;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.ScriptedComputerUseProvider;
import dev.runnerdesk.ui.app.AppServices;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.runners.RunnerRow;
import dev.runnerdesk.wire.ConnectionProfilesJson;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.api.FxRobot;
import org.testfx.api.FxRobotInterface;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The app's main window on a real embedded runtime (fake provider, scripted computer use) in a fresh data
 * directory, as the composition root builds it, with a backend factory each test chooses; and how the window
 * tests read it: on the FX thread, waiting for what is not shown yet.
 */
public final class UiHarness implements AutoCloseable {
    /** How long a window test waits for something that takes a moment (a load, a pulse, a live event). */
    public static final Duration WAIT = Duration.ofSeconds(10);
    public final EmbeddedRuntime runtime;
    public final RunnerService service;
    public final FxTaskExecutor tasks = new FxTaskExecutor();
    public final SecretStore secrets = new MemorySecretStore("tests keep keys in memory");
    public final EmbeddedSettings settings;
    /** claude_computer_use as a script: available once the Anthropic key is in {@link #secrets}; none with a given runtime. */
    public final ScriptedComputerUseProvider computerUse;
    public MainWindow window;

    public UiHarness(Path dataDir, Clock clock) {
        computerUse = new ScriptedComputerUseProvider(Optional.of(secrets));
        runtime = new EmbeddedRuntime(dataDir.resolve("t" + System.nanoTime()), clock, List.of(new FakeProvider(), computerUse));
        computerUse.writeTo(runtime::screenshotFile);
        service = runtime.serviceFor(Principal.localUser());
        settings = new EmbeddedSettings(runtime);
    }

    public UiHarness(Path dataDir) {
        this(dataDir, Clock.systemUTC());
    }

    /** With every provider of the build (the local sandbox too), as the app runs. */
    public UiHarness(EmbeddedRuntime runtime) {
        this.runtime = runtime;
        computerUse = null;
        service = runtime.serviceFor(Principal.localUser());
        settings = new EmbeddedSettings(runtime);
    }

    /** The embedded runtime for "This computer"; gateway profiles as the test says. */
    public RunnerServiceFactory factory(RunnerServiceFactory gateways) {
        return new RunnerServiceFactory() {
            @Override
            public RunnerService open(ConnectionProfile profile, Optional<String> key) {
                return profile.kind() == ConnectionProfile.Kind.EMBEDDED ? runtime.serviceFor(Principal.localUser())
                        : gateways.open(profile, key);
            }

            @Override
            public RunnerService open(ConnectionProfile profile, Optional<String> key, Supplier<Duration> deadline) {
                // a gateway's calls get the deadline the app gives them, as the composition root's factory does
                return profile.kind() == ConnectionProfile.Kind.EMBEDDED ? runtime.serviceFor(Principal.localUser())
                        : gateways.open(profile, key, deadline);
            }
        };
    }

    /**
     * A gateway profile at {@code url} (plain http allowed) saved in the settings, the one the app opens at start when
     * {@code active}; call before {@link #show}. Its key is the test's to put where its keys are kept.
     */
    public ConnectionProfile gatewayProfile(String url, boolean active) {
        ConnectionProfile profile = ConnectionProfile.gateway("gw_0123456789ab", "Team gateway", url, true);
        settings.put(UiPreferences.PROFILES, new ConnectionProfilesJson().encode(List.of(profile)));
        if (active) {
            settings.put(UiPreferences.ACTIVE_PROFILE, profile.id());
        }
        return profile;
    }

    /** The embedded runtime for "This computer"; gateway profiles through the real gateway client, with their stored key. */
    public RunnerServiceFactory gatewayClient() {
        return factory((p, key) -> new GatewayRunnerService(GatewayConnection.of(p.baseUrl().orElseThrow(), key.orElseThrow(),
                true)));
    }

    public RunnerServiceFactory embeddedOnly() {
        return factory((p, k) -> {
            throw new RunnerException.Unavailable("connecting to a gateway is not part of this build yet");
        });
    }

    public MainWindow show(Stage stage, RunnerServiceFactory backends, Clock clock) {
        return show(stage, backends, clock, secrets, KeyStorage.of(secrets));
    }

    /** With keys kept where {@code keys} says (the composition root's choice of store), instead of in memory. */
    public MainWindow show(Stage stage, RunnerServiceFactory backends, Clock clock, SecretStore keySecrets, KeyStorage keys) {
        UiPreferences prefs = UiPreferences.load(settings);
        Theme theme = new Theme(false, Theme.Mode.LIGHT);
        theme.apply();
        window = new MainWindow(new AppServices(backends, keySecrets, settings, new InProcessPolicyEditorChecks(),
                new ConnectionProfilesJson(), () -> { }, keys), prefs, theme, tasks, clock);
        // TestFX hands every test class the same stage: one an earlier test made 1600 wide would reach past the
        // headless screen (1280×800), which Monocle answers with a BufferOverflowException when it draws
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(1200);
        stage.setHeight(760);
        window.show(stage);
        return window;
    }

    /** Shows {@code view} and waits until {@code ready} (a node of it) is shown: a view's nodes appear a pulse later. */
    public void open(FxRobot robot, MainWindow.View view, String ready) {
        robot.interact(() -> window.navigate(view));
        node(robot, ready, Node.class);
    }

    public Runner create() {
        return service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
    }

    @SuppressWarnings("unchecked")
    public static TableView<RunnerRow> table(FxRobot robot) {
        return node(robot, "#runner-table", TableView.class);
    }

    /**
     * The node {@code query} finds, once it is in the scene: waits for it, since a view's nodes appear a pulse after
     * the view is shown and a split pane's content is re-parented when its items change. Looks up on the FX thread;
     * called there (in a condition of {@link #fx}), it looks once and throws when the node is not shown yet.
     */
    public static <T extends Node> T node(FxRobot robot, String query, Class<T> type) {
        if (Platform.isFxApplicationThread()) {
            // inside a condition of Await.until (through fx): one look; the wait around it tries again
            return robot.lookup(query).tryQuery().filter(type::isInstance).filter(n -> n.getScene() != null).map(type::cast)
                    .orElseThrow(() -> new IllegalStateException(query + " is not shown"));
        }
        AtomicReference<T> found = new AtomicReference<>();
        Await.until(fx(() -> {
            Optional<Node> n = robot.lookup(query).tryQuery();
            n.filter(type::isInstance).filter(x -> x.getScene() != null).ifPresent(x -> found.set(type.cast(x)));
            return found.get() != null;
        }), WAIT, () -> query + " shown");
        return found.get();
    }

    /**
     * Clicks the node {@code query} finds once it is shown and enabled (a view's nodes appear a pulse after it is shown,
     * a button is enabled once what it needs has loaded); the robot, to type on.
     */
    public static FxRobotInterface click(FxRobot robot, String query) {
        Node target = node(robot, query, Node.class);
        Await.until(fx(() -> target.isVisible() && !target.isDisabled() && target.getScene() != null), WAIT,
                () -> query + " enabled");
        return robot.clickOn(target);
    }

    /** The text of the labeled node {@code query} finds (waiting for it to be shown), read on the FX thread. */
    public static String text(FxRobot robot, String query) {
        Labeled labeled = node(robot, query, Labeled.class);
        return onFx(labeled::getText);
    }

    /** Every showing window whose scene root has {@code id} (dialogs are windows of their own). */
    /**
     * Empty when {@code id} is shown whole inside its window and a label on it is drawn uncut; else what is cut off
     * (its bounds against the window's size, or the label as drawn).
     */
    public static String cutOff(FxRobot robot, String id) {
        return onFx(() -> {
            Node n = node(robot, id, Node.class);
            javafx.geometry.Bounds b = n.localToScene(n.getBoundsInLocal());
            javafx.scene.Scene scene = n.getScene();
            if (!n.isVisible() || b.getMinX() < 0 || b.getMinY() < 0 || b.getMaxX() > scene.getWidth() + 0.5
                    || b.getMaxY() > scene.getHeight() + 0.5) {
                return b + " in a window of " + scene.getWidth() + "×" + scene.getHeight();
            }
            Node drawn = n.lookup(".text");
            String text = drawn instanceof javafx.scene.text.Text t ? t.getText() : "";
            return text.contains("…") || text.contains("...") ? "its label is drawn cut: " + text : "";
        });
    }

    public static List<Window> windowsWithRoot(FxRobot robot, String id) {
        return onFx(() -> {
            List<Window> found = new ArrayList<>();
            for (Window w : robot.listWindows()) {
                if (w.isShowing() && w.getScene() != null && id.equals(w.getScene().getRoot().getId())) {
                    found.add(w);
                }
            }
            return found;
        });
    }

    /** {@code condition} evaluated on the FX thread, for {@link Await#until}: the scene is read where it is changed. */
    public static Callable<Boolean> fx(Callable<Boolean> condition) {
        return () -> onFx(condition);
    }

    /**
     * Reads the scene on the FX thread: a lookup from the test thread can meet a scene graph that is being
     * changed (an IndexOutOfBoundsException deep in {@code lookupAll}) or a skin not made yet.
     */
    public static <T> T onFx(Callable<T> read) {
        if (Platform.isFxApplicationThread()) {
            try {
                return read.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("reading the scene on the FX thread failed", e);
        }
    }

    public Optional<String> storedKey(String profileId) {
        return secrets.get("gateway-api-key:" + profileId);
    }

    @Override
    public void close() {
        if (window != null) {
            try {
                WaitForAsyncUtils.asyncFx(window::close).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("closing the window failed", e);
            }
        }
        tasks.close();
        runtime.close();
    }
}
