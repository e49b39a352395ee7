package dev.runnerdesk.ui;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.embedded.EmbeddedSettings;
import dev.runnerdesk.policy.InProcessPolicyEditorChecks;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.testutil.AuditFill;
import dev.runnerdesk.testutil.ScriptedComputerUseProvider;
import dev.runnerdesk.ui.app.AppServices;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.common.Confirm;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.terminal.TerminalView;
import dev.runnerdesk.ui.timeline.TypePreset;
import dev.runnerdesk.wire.ConnectionProfilesJson;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Optional;

/**
 * Puts the real app (embedded runtime in a data directory the CLI filled) into one state for a screenshot
 * under Xvfb: {@code runners}, {@code detail}, {@code create-dialog}, {@code beta-banner}, {@code settings},
 * {@code timeline} (an event selected), {@code timeline-filtered} (denials, a search), {@code policies},
 * {@code palette} (the command palette open, with an optional fourth argument typed into it), {@code runners-menu}
 * (the first row's action menu, opened by Shift+F10), {@code runners-empty} (use an empty data directory: the
 * first-start steps), {@code policies-pii}, {@code policies-roles} (an auditor key among the members), {@code computer-use-timeline} (a computer action's screenshot), {@code computer-use-screen}
 * (the Screen tab of a computer-use runner), {@code provider-keys} (Settings scrolled to them), {@code terminal-drawer}
 * (the Sessions drawer on a local runner: {@code ls --color} in its shell, {@code top} in a second one split beside it). The timeline and policy scenes add a little history of their own to the data directory.
 * Usage: {@code ScreenshotMain SCENE light|dark DATA_DIR}; the window fills the 1280×800 screen at 0,0.
 */
public final class ScreenshotMain {
    /** Printed once the scene is set and drawn. */
    static final String READY = "screenshot-ready";
    private ScreenshotMain() {
    }

    public static void main(String[] args) {
        String scene = args[0];
        boolean dark = "dark".equals(args[1]);
        boolean computerUse = scene.startsWith("computer-use");
        ScriptedComputerUseProvider desktop = new ScriptedComputerUseProvider(
                Optional.empty());
        EmbeddedRuntime runtime = computerUse ? new EmbeddedRuntime(Path.of(args[2]), Clock.systemUTC(),
                List.of(new FakeProvider(), desktop)) : EmbeddedRuntimes.open(Path.of(args[2]));
        desktop.writeTo(runtime::screenshotFile);
        runtime.startBackgroundWork(java.time.Duration.ofSeconds(1));
        EmbeddedSettings settings = new EmbeddedSettings(runtime);
        ConnectionProfile team = ConnectionProfile.gateway("gw_team", "Team gateway", "https://gateway.example.com", false);
        settings.put(UiPreferences.PROFILES, new ConnectionProfilesJson().encode(List.of(team)));
        boolean throughTeam = scene.equals("beta-banner") || scene.equals("connecting") || scene.equals("list-waiting");
        settings.put(UiPreferences.ACTIVE_PROFILE, throughTeam ? team.id() : ConnectionProfile.EMBEDDED_ID);
        if (scene.startsWith("timeline") || scene.startsWith("policies") || scene.equals("settings-audit")) {
            populate(runtime.serviceFor(Principal.localUser()), runtime);
        }
        if (scene.equals("timeline-verified") || scene.equals("settings-audit")) {
            runtime.checkpointAudit();
        }
        if (scene.equals("timeline-verifying")) {
            fill(runtime, 1_000_000); // long enough to see the progress
        }
        if (scene.equals("timeline-broken")) {
            runtime.checkpointAudit();
            try {
                AuditFill.tamper(runtime.dataDir(), 7, "mallory");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        if (scene.equals("policies-roles") && runtime.apiKeys().list().stream().noneMatch(k -> k.name().equals("compliance"))) {
            runtime.apiKeys().create("compliance", Role.AUDITOR);
        }
        String agent = computerUse ? actComputerUse(runtime.serviceFor(Principal.localUser())) : null;
        Runner shellOf = scene.equals("terminal-drawer") ? localRunnerWithSession(runtime.serviceFor(Principal.localUser())) : null;
        Runner filesOf = scene.equals("files") || scene.equals("metrics")
                ? ScreenshotWorkspace.fill(runtime.serviceFor(Principal.localUser())) : null;
        settings.put(UiPreferences.LAST_VIEW, scene.equals("settings") || scene.equals("provider-keys") || scene.equals("settings-audit")
                || scene.equals("key-storage") || scene.equals("profile-editor") ? "settings"
                : scene.startsWith("timeline") || scene.equals("computer-use-timeline") ? "timeline" : scene.startsWith("policies") ? "policies" : "runners");
        String[] size = System.getProperty("screenshot.size", "1280x800").split("x");
        settings.put(UiPreferences.WINDOW, "0,0," + size[0] + "," + size[1] + ",false");
        MemorySecretStore secrets = new MemorySecretStore("no OS keychain backend here: No available keyring backend found");
        secrets.put(team.secretName(), "cm_sk_demo_0000000000001a2b");
        if (scene.equals("provider-keys")) {
            secrets.put(ProviderKeys.E2B.secretName(), "e2b_demo_not_a_key_0000c0de");
        }
        RunnerService local = runtime.serviceFor(Principal.localUser());
        RunnerServiceFactory backends = (profile, key) -> profile.kind() == ConnectionProfile.Kind.EMBEDDED ? local
                : scene.equals("connecting") ? answeringLate(local, "whoami")
                : scene.equals("list-waiting") ? answeringLate(local, "list") : betaGated();
        UiPreferences prefs = UiPreferences.load(settings);
        Platform.startup(() -> {
            Theme theme = new Theme(dark, Theme.Mode.SYSTEM);
            theme.apply();
            FxTaskExecutor tasks = new FxTaskExecutor();
            MainWindow window = new MainWindow(new AppServices(backends, secrets, settings, new InProcessPolicyEditorChecks(),
                    new ConnectionProfilesJson(), runtime::close, demoKeyStorage(secrets, runtime.dataDir())), prefs, theme,
                    tasks, Clock.systemUTC());
            Stage stage = new Stage();
            window.show(stage);
            PauseTransition later = new PauseTransition(Duration.seconds(2));
            later.setOnFinished(e -> {
                switch (scene) {
                    case "create-dialog" -> window.runners().newRunner();
                    case "palette" -> {
                        window.palette().show(stage);
                        Window.getWindows().stream().map(w -> w.getScene().getRoot().lookup("#palette-field"))
                                .filter(f -> f != null).findFirst().ifPresent(f -> ((TextField) f).setText(args.length > 3 ? args[3] : ""));
                    }
                    case "runners-menu" -> stage.getScene().getRoot().lookupAll("#runner-table").forEach(t -> {
                        var table = (TableView<?>) t;
                        table.requestFocus();
                        table.getSelectionModel().select(0);
                        table.getFocusModel().focus(0);
                        Event.fireEvent(table, new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.F10, true, false, false, false));
                    });
                    case "detail" -> runtime.serviceFor(Principal.localUser()).list(RunnerQuery.firstPage()).runners().stream()
                            .filter(r -> r.state() == RunnerState.RUNNING).findFirst()
                            .ifPresent(r -> window.runners().select(r.runnerId()));
                    case "timeline" -> stage.getScene().getRoot().lookupAll("#timeline-table").forEach(t ->
                            ((TableView<?>) t).getSelectionModel().select(3));
                    case "timeline-filtered" -> {
                        window.timeline().applyPreset(TypePreset.DENIALS);
                        stage.getScene().getRoot().lookupAll("#timeline-search").forEach(t ->
                                ((TextField) t).setText("curl"));
                    }
                    case "computer-use-timeline" -> {
                        window.timeline().showRunner(agent);
                        PauseTransition select = new PauseTransition(Duration.seconds(1.5));
                        select.setOnFinished(x -> stage.getScene().getRoot().lookupAll("#timeline-table").forEach(t -> {
                            var table = (TableView<?>) t;
                            for (int i = 0; i < table.getItems().size(); i++) {
                                var event = (AuditEvent) table.getItems().get(i);
                                if (Integer.valueOf(2).equals(event.data().get("step"))) {
                                    table.getSelectionModel().select(i);
                                }
                            }
                        }));
                        select.play();
                    }
                    case "computer-use-screen" -> {
                        window.runners().select(agent);
                        stage.getScene().getRoot().lookupAll("#detail-tabs").forEach(t -> {
                            var tabs = (TabPane) t;
                            tabs.getTabs().stream().filter(tab -> "detail-tab-screen".equals(tab.getId())).findFirst()
                                    .ifPresent(tab -> tabs.getSelectionModel().select(tab));
                        });
                    }
                    case "terminal-drawer" -> terminalDrawer(window, shellOf);
                    case "files" -> ScreenshotWorkspace.showFiles(window, stage, filesOf);
                    case "metrics" -> ScreenshotWorkspace.showMetrics(window, stage, filesOf);
                    case "provider-keys" -> scrollTo(stage, "#provider-keys");
                    case "settings-audit" -> scrollTo(stage, "#audit-settings");
                    case "timeline-verified", "timeline-broken", "timeline-verifying" -> window.timeline().verifyAll();
                    case "policies-pii" -> stage.getScene().getRoot().lookupAll("#policy-tabs").forEach(t ->
                            ((TabPane) t).getSelectionModel().select(1));
                    case "policies-roles" -> stage.getScene().getRoot().lookupAll("#policy-tabs").forEach(t ->
                            ((TabPane) t).getSelectionModel().select(2));
                    // issue 16, second pass: notifications and their history, where keys are kept, a confirmation,
                    // the gateway dialog, a filter that matches nothing
                    case "notifications", "notification-centre" -> {
                        window.notifier().info("Export finished", "2 events to events-2026-12-03.jsonl");
                        window.notifier().error("Cannot load events", "No events match runner runner_0123456789ab, text "
                                + "\"averyveryverylongsearchtextwithoutanyspaceinitatallaveryveryverylongsearch\": "
                                + "the gateway answered 503 Service Unavailable; retrying in 5 s.");
                        if (scene.equals("notification-centre")) {
                            window.notificationCentre().show();
                        }
                    }
                    case "key-storage" -> scrollTo(stage, "#key-storage");
                    case "confirm" -> Platform.runLater(() -> Confirm.ask(stage, "Terminate runners", "Terminate 3 runners?",
                            List.of("runner_0123456789ab (fake, locked)", "runner_abcdefabcdef (local, web_automation)",
                                    "runner_fedcba987654 (fake, full_vm_tools)"),
                            "Their sessions end and their workspaces are deleted. This cannot be undone.", "Terminate"));
                    case "profile-editor" -> Platform.runLater(() -> stage.getScene().getRoot().lookupAll("#profile-add")
                            .forEach(b -> ((Button) b).fire()));
                    case "timeline-nomatch" -> stage.getScene().getRoot().lookupAll("#timeline-search").forEach(t ->
                            ((TextField) t).setText("nothing-has-this-text"));
                    default -> { }
                }
            });
            later.play();
            // for scripts/screenshots.sh: the scene has been set and drawn for a few pulses
            // the metrics scene waits for a few samples (one every 5 s) to draw lines, not dots
            PauseTransition drawn = new PauseTransition(Duration.seconds(scene.equals("metrics") ? 40 : 6));
            drawn.setOnFinished(e -> System.out.println(READY));
            drawn.play();
        });
    }

    /** No keychain, with the key file offered (as the composition root offers it); choosing it only changes what is said. */
    private static KeyStorage demoKeyStorage(SecretStore secrets, Path dataDir) {
        return new KeyStorage() {
            private volatile boolean file;

            @Override
            public State state() {
                return new State(file ? Where.FILE : Where.THIS_RUN, dataDir.resolve("credentials").toString(),
                        file ? Optional.empty() : secrets.limitation(), Optional.empty());
            }

            @Override
            public State useFile(boolean useFile, Collection<String> names) {
                file = useFile;
                return state();
            }
        };
    }

    /** A running local runner (full_vm_tools, so top is there): the one in the data dir, or a new one. */
    private static Runner localRunnerWithSession(RunnerService service) {
        Runner runner = service.list(RunnerQuery.firstPage()).runners().stream()
                .filter(r -> r.providerType() == ProviderType.LOCAL && r.state() == RunnerState.RUNNING).findFirst()
                .orElseGet(() -> {
                    Runner created = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 3600));
                    service.startSession(created.runnerId(), Optional.empty());
                    return service.get(created.runnerId());
                });
        return runner;
    }

    /** Opens the runner's shell in the drawer, lists a few files in colour, then splits and runs top beside it. */
    private static void terminalDrawer(MainWindow window, Runner runner) {
        window.runners().openShell(runner.runnerId());
        String session = runner.activeSession().map(Session::sessionId).orElseThrow();
        whenPrompted(window, session, first -> {
            first.send("mkdir -p src docs build && touch README.md notes.txt && printf '#!/bin/sh\\necho hi\\n' > run.sh"
                    + " && chmod +x run.sh && ln -sf src code && clear && ls --color -la\r");
            window.terminals().split();
            whenPrompted(window, session + "#2", second -> second.send("top\r"));
        });
    }

    /** Runs {@code then} once the terminal under {@code key} shows its shell's prompt (a loaded machine takes a while). */
    private static void whenPrompted(MainWindow window, String key, Consumer<TerminalView> then) {
        Timeline poll = new Timeline();
        poll.getKeyFrames().add(new KeyFrame(Duration.millis(300), e -> window.terminals().terminal(key)
                .filter(t -> t.text().contains("$") || t.text().contains("#"))
                .ifPresent(t -> {
                    poll.stop();
                    then.accept(t);
                })));
        poll.setCycleCount(Animation.INDEFINITE);
        poll.play();
    }

    /** Appends commands up to {@code count} events, once, straight into the database. */
    private static void fill(EmbeddedRuntime runtime, int count) {
        var service = runtime.serviceFor(Principal.localUser());
        long have = service.events(EventQuery.all(1)).total();
        if (have >= count) {
            return;
        }
        Instant t0 = Instant.now().minusSeconds(count / 1000);
        try {
            AuditFill.append(runtime.dataDir(), (int) (count - have), i -> new AuditFill.Row(
                    EventTypes.COMMAND_EXECUTED, t0.plusMillis(i), "runner_000000000001", "sess_000000000001",
                    "local", Map.of("argv", List.of("echo", Integer.toString(i)), "exit_code", 0)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Scrolls Settings so the section {@code id} is at the top (or the end is in view). */
    private static void scrollTo(Stage stage, String id) {
        stage.getScene().getRoot().lookupAll("#settings").forEach(t -> {
            var scroll = (ScrollPane) t;
            Node section = scroll.getContent().lookup(id);
            double contentHeight = scroll.getContent().getBoundsInLocal().getHeight();
            double viewport = scroll.getViewportBounds().getHeight();
            double y = section.localToScene(0, 0).getY() - scroll.getContent().localToScene(0, 0).getY();
            scroll.setVvalue(contentHeight <= viewport ? 0 : Math.min(1.0, (y - 8) / (contentHeight - viewport)));
        });
    }

    /** A computer-use runner whose agent searched a document site (a drawn desktop); returns its id. */
    private static String actComputerUse(RunnerService service) {
        var r = service.create(new CreateRunnerRequest(ProviderType.FAKE,
                ToolProfile.LOCKED, 3600));
        var fs = service.startSession(r.runnerId(), Optional.empty());
        service.exec(r.runnerId(), fs.sessionId(), new ExecRequest(List.of("ls")));
        var agent = service.create(new CreateRunnerRequest(ProviderType.CLAUDE_COMPUTER_USE,
                ToolProfile.FULL_VM_TOOLS, 3600));
        var s = service.startSession(agent.runnerId(), Optional.empty());
        service.exec(agent.runnerId(), s.sessionId(), new ExecRequest(List.of("computer", "screenshot",
                "left_click", "type", "key", "left_click:330,294")));
        return agent.runnerId();
    }

    /** Some history for the timeline and policy scenes: lifecycle, commands, denials, a policy change. */
    private static void populate(RunnerService service, EmbeddedRuntime runtime) {
        if (service.events(EventQuery.all(1)).total() > 40) {
            return;
        }
        var viewer = runtime.serviceFor(new Principal("ci-viewer", Role.VIEWER));
        for (ToolProfile profile : ToolProfile.values()) {
            var r = service.create(new CreateRunnerRequest(ProviderType.FAKE, profile, 3600));
            var s = service.startSession(r.runnerId(), Optional.empty());
            for (String[] argv : new String[][] {{"ls", "-la"}, {"cat", "README.md"}, {"grep", "-rn", "TODO", "."}, {"date"}}) {
                service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of(argv)));
            }
            try {
                service.exec(r.runnerId(), s.sessionId(), new ExecRequest(
                        List.of("curl", "-s", "https://example.com/upload")));
            } catch (RunnerException e) {
                // locked refuses curl: a command.denied event
            }
            try {
                viewer.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "hi")));
            } catch (RunnerException e) {
                // viewers may not exec: an auth.denied event
            }
            if (profile != ToolProfile.FULL_VM_TOOLS) {
                service.stopSession(r.runnerId(), s.sessionId());
            }
        }
        var policies = service.policies();
        var web = policies.profile(ToolProfile.WEB_AUTOMATION);
        var changed = new EnumMap<>(policies.profiles());
        changed.put(ToolProfile.WEB_AUTOMATION, new ProfilePolicy(web.profile(),
                web.allowedCommands(), web.networkMode(), List.of("api.github.com:443", "*.pypi.org", "10.20.0.0/16"),
                web.maxTtlSeconds(), web.maxExecTimeoutSeconds(), web.outputCapBytes(), web.recordInput()));
        service.updatePolicies(new Policies(changed, policies.pii()));
    }

    /** A gateway that is {@code service}, except that {@code method} never answers (until its call is cancelled). */
    private static RunnerService answeringLate(RunnerService service, String method) {
        return (RunnerService) Proxy.newProxyInstance(RunnerService.class.getClassLoader(), new Class<?>[] {RunnerService.class},
                (proxy, m, args) -> {
                    if (m.getName().equals(method)) {
                        new java.util.concurrent.CountDownLatch(1).await(); // a wait shows; Cancel interrupts it
                    }
                    try {
                        return m.invoke(service, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
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
