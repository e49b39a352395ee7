package dev.runnerdesk.ui.app;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.ui.common.AppStylesheet;
import dev.runnerdesk.ui.common.NotificationCentre;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.common.ViewController;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.ApiKeyPrompt;
import dev.runnerdesk.ui.connections.ConnectionsController;
import dev.runnerdesk.ui.palette.CommandPalette;
import dev.runnerdesk.ui.palette.PaletteCommands;
import dev.runnerdesk.ui.policy.PolicyController;
import dev.runnerdesk.ui.runners.RunnerListController;
import dev.runnerdesk.ui.settings.AuditSettingsController;
import dev.runnerdesk.ui.settings.KeyStorageController;
import dev.runnerdesk.ui.settings.ProviderKeysController;
import dev.runnerdesk.ui.settings.SettingsController;
import dev.runnerdesk.ui.terminal.SessionsDrawer;
import dev.runnerdesk.ui.terminal.TerminalSessions;
import dev.runnerdesk.ui.timeline.TimelineController;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The main window: navigation rail, the connection banner, the content area and the status bar; the
 * keyboard shortcuts; the theme; the window's size, position and last view, remembered.
 */
public final class MainWindow {
    /** The views of the rail; one appears here once it exists. */
    public enum View {
        RUNNERS("Runners", Feather.SERVER, "Runners (Ctrl+1)"),
        TIMELINE("Timeline", Feather.ACTIVITY, "Audit timeline of every runner (Ctrl+2)"),
        POLICIES("Policies", Feather.SHIELD, "Tool profiles, PII scanning and roles (Ctrl+3)"),
        SETTINGS("Settings", Feather.SETTINGS, "Settings and connections (Ctrl+,)");

        final String title;
        final Feather icon;
        final String tooltip;

        View(String title, Feather icon, String tooltip) {
            this.title = title;
            this.icon = icon;
            this.tooltip = tooltip;
        }
    }

    private static final double DEFAULT_WIDTH = 1200;
    private static final double DEFAULT_HEIGHT = 760;
    private final UiPreferences prefs;
    private final Theme theme;
    private final Notifier notifier = new Notifier();
    private final ActiveConnection connection;
    private final ConnectionsController connections;
    private final RunnerListController runners;
    private final TerminalSessions terminals;
    private final SettingsController settings;
    /**
     * The views of the rail, each active while shown. The timeline and policies are built when first shown: they are
     * not on the way to the first frame.
     */
    private final Map<View, ViewController> views = new EnumMap<>(View.class);
    private final AppServices services;
    private final TaskExecutor tasks;
    private final Clock clock;
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final ToggleGroup rail = new ToggleGroup();
    private final Map<View, ToggleButton> railButtons = new EnumMap<>(View.class);
    private final ConnectionBanner banner;
    private final NotificationCentre centre;
    private Stage stage;
    private View current;

    public MainWindow(AppServices services, UiPreferences prefs, Theme theme, TaskExecutor tasks, Clock clock) {
        this.prefs = prefs;
        this.theme = theme;
        this.services = services;
        this.tasks = tasks;
        this.clock = clock;
        prefs.writeThrough(tasks);
        connection = new ActiveConnection(services.backends(), services.secrets(), tasks, clock);
        connections = new ConnectionsController(connection, services.backends(), services.secrets(), services.profiles(), tasks,
                notifier, prefs, this::window);
        terminals = new TerminalSessions(tasks, theme.darkProperty());
        terminals.setConnection(() -> connection.profile().id());
        runners = new RunnerListController(connection, tasks, notifier, prefs, clock, this::window, terminals);
        KeyStorageController keyStorage = new KeyStorageController(services.keyStorage(), tasks, notifier, () -> {
            List<String> names = new ArrayList<>(connections.keyNames());
            Arrays.stream(ProviderKeys.values()).map(ProviderKeys::secretName).forEach(names::add);
            return names;
        });
        settings = new SettingsController(theme, connections,
                new ProviderKeysController(services.secrets(), tasks, notifier, System.getenv()),
                keyStorage,
                new AuditSettingsController(connection, tasks, notifier, clock, this::window), prefs, terminals);
        keyStorage.activate(); // where keys are kept is said outside Settings too (the refused-key banner)
        runners.setOnOpenTimeline(this::showTimelineOf);
        runners.setOnConnectGateway(() -> navigate(View.SETTINGS)); // the empty list's "Connect a gateway"
        views.put(View.RUNNERS, runners);
        views.put(View.SETTINGS, settings);
        banner = new ConnectionBanner(connection, keyStorage.stateProperty());
        banner.retry.setOnAction(e -> connection.retry());
        banner.useLocal.setOnAction(e -> connections.switchTo(ConnectionProfile.thisComputer()));
        banner.settings.setOnAction(e -> navigate(View.SETTINGS));
        banner.enterKey.setOnAction(e -> ApiKeyPrompt.ask(window(), connection.profile().name(),
                "The gateway refused the stored key: " + connection.problemProperty().get()
                        + Optional.ofNullable(keyStorage.stateProperty().get()).map(k -> ". The new key is kept in " + k.place()
                        + ".").orElse("")).ifPresent(connections::replaceKey));

        root.setId("main-window");
        root.setLeft(railView());
        content.setId("content");
        // the Sessions drawer: full width under the views, so a terminal has the window's width
        Node work = terminals.drawer().below(content, prefs);
        VBox center = new VBox(banner.root, work);
        VBox.setVgrow(work, Priority.ALWAYS);
        // notifications: a layer over the content (bounded by it), their history behind the status bar's bell
        root.setCenter(new StackPane(center, notifier.layer()));
        centre = new NotificationCentre(notifier, clock.getZone());
        root.setBottom(new StatusBar(connection, runners.model(), tasks, centre).root);
        theme.darkProperty().addListener((o, was, dark) -> theme.apply());
        theme.modeProperty().addListener((o, was, mode) -> prefs.put(UiPreferences.THEME, mode.name().toLowerCase(Locale.ROOT)));
    }

    private Node railView() {
        VBox box = new VBox(4);
        box.setId("navigation-rail");
        box.getStyleClass().add("navigation-rail");
        box.setPadding(new Insets(10, 6, 10, 6));
        box.setAlignment(Pos.TOP_CENTER);
        for (View v : View.values()) {
            ToggleButton b = new ToggleButton(v.title, new FontIcon(v.icon));
            b.setId("nav-" + v.name().toLowerCase(Locale.ROOT));
            b.setContentDisplay(ContentDisplay.TOP);
            b.getStyleClass().addAll(Styles.FLAT, "rail-button");
            b.setTooltip(new Tooltip(v.tooltip));
            b.setToggleGroup(rail);
            b.setOnAction(e -> navigate(v));
            b.setMaxWidth(Double.MAX_VALUE);
            railButtons.put(v, b);
            box.getChildren().add(b);
        }
        // a rail button always stays selected
        rail.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null && was != null) {
                rail.selectToggle(was);
            }
        });
        return box;
    }

    public Parent root() {
        return root;
    }

    public void show(Stage stage) {
        this.stage = stage;
        Scene scene = new Scene(root, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        scene.getStylesheets().add(AppStylesheet.url());
        installShortcuts(scene);
        installPalette(scene);
        stage.setTitle("RunnerDesk");
        for (String icon : new String[] {"/dev/runnerdesk/ui/icon-64.png", "/dev/runnerdesk/ui/icon-256.png"}) {
            var url = MainWindow.class.getResource(icon);
            if (url != null) {
                stage.getIcons().add(new Image(url.toExternalForm(), true));
            }
        }
        stage.setScene(scene);
        stage.setMinWidth(760);
        stage.setMinHeight(480);
        restoreBounds(stage);
        stage.show();
        connection.connect(connections.lastActive());
        navigate(prefs.get(UiPreferences.LAST_VIEW).map(MainWindow::parseView).orElse(View.RUNNERS));
    }

    /**
     * Shows a view of the rail. Views activate when shown and deactivate when taken out, so the one shown before
     * stops following the backend.
     */
    public void navigate(View view) {
        railButtons.get(view).setSelected(true);
        if (view == current) {
            return;
        }
        current = view;
        content.getChildren().setAll(viewOf(view).view());
        prefs.put(UiPreferences.LAST_VIEW, view.name().toLowerCase(Locale.ROOT));
    }

    private ViewController viewOf(View view) {
        return views.computeIfAbsent(view, v -> switch (v) {
            case TIMELINE -> newTimeline();
            case POLICIES -> new PolicyController(connection, tasks, notifier, services.policyTools());
            case RUNNERS, SETTINGS -> throw new IllegalStateException(v + " is built with the window");
        });
    }

    private void installShortcuts(Scene scene) {
        var keys = scene.getAccelerators();
        keys.put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> {
            navigate(View.RUNNERS);
            runners.newRunner();
        });
        keys.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            navigate(View.RUNNERS);
            runners.focusFilter();
        });
        keys.put(new KeyCodeCombination(KeyCode.DELETE), () -> {
            if (current == View.RUNNERS && !(scene.getFocusOwner() instanceof TextInputControl)) {
                runners.terminateSelected();
            }
        });
        keys.put(new KeyCodeCombination(KeyCode.F5), this::refresh);
        keys.put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), this::refresh);
        keys.put(new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN), () -> navigate(View.SETTINGS));
        keys.put(new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN), () -> navigate(View.RUNNERS));
        keys.put(new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN), () -> navigate(View.TIMELINE));
        keys.put(new KeyCodeCombination(KeyCode.DIGIT3, KeyCombination.SHORTCUT_DOWN), () -> navigate(View.POLICIES));
        keys.put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), theme::toggle);
        keys.put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), centre::toggle);
        installSessionKeys(scene);
    }

    /** The Sessions drawer's keys; they work from a terminal too (it hands the app's chords to the app). */
    private void installSessionKeys(Scene scene) {
        var keys = scene.getAccelerators();
        SessionsDrawer drawer = terminals.drawer();
        keys.put(new KeyCodeCombination(KeyCode.BACK_QUOTE, KeyCombination.SHORTCUT_DOWN), () -> {
            boolean emptyDrawerShown = drawer.shownProperty().get() && drawer.paneCount() == 0;
            if (drawer.holds(scene.getFocusOwner()) || emptyDrawerShown) {
                drawer.shownProperty().set(!emptyDrawerShown); // an empty drawer goes away again
                navigate(View.RUNNERS);
                runners.focusList();
            } else {
                drawer.shownProperty().set(true);
                terminals.focusSelected();
            }
        });
        keys.put(new KeyCodeCombination(KeyCode.M, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                () -> drawer.maximisedProperty().set(!drawer.maximisedProperty().get()));
        keys.put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), terminals::split);
        keys.put(new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), () -> {
            if (drawer.holds(scene.getFocusOwner())) {
                terminals.closeSelected();
            }
        });
    }

    // --- command palette (Ctrl+K, ⌘K on macOS) ---
    private CommandPalette palette;

    private void installPalette(Scene scene) {
        var views = Arrays.stream(View.values()).map(v -> new PaletteCommands.Destination(v.title, v.tooltip, v.icon, null,
                () -> navigate(v))).toList();
        palette = new CommandPalette(new PaletteCommands(new PaletteCommands.Host(views, this::showRunner, () -> {
            navigate(View.RUNNERS);
            runners.newRunner();
        }), runners, connections, connection, theme)::items);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN), () -> palette.show(stage));
    }

    /** The command palette (for tests and the screenshot scenes). */
    public CommandPalette palette() {
        return palette;
    }
    // --- end of the command palette ---

    private void refresh() {
        switch (connection.health()) {
            case ONLINE -> {
                if (current != null) {
                    viewOf(current).reload();
                }
            }
            case CONNECTING -> { }
            default -> connection.retry();
        }
    }

    private Window window() {
        return stage;
    }

    private void restoreBounds(Stage stage) {
        prefs.get(UiPreferences.WINDOW).ifPresent(saved -> {
            String[] v = saved.split(",");
            try {
                double x = Double.parseDouble(v[0]);
                double y = Double.parseDouble(v[1]);
                double w = Double.parseDouble(v[2]);
                double h = Double.parseDouble(v[3]);
                // only where a screen still is (a monitor may have gone)
                if (w >= 400 && h >= 300 && !Screen.getScreensForRectangle(new Rectangle2D(x, y, w, h)).isEmpty()) {
                    stage.setX(x);
                    stage.setY(y);
                    stage.setWidth(w);
                    stage.setHeight(h);
                }
                stage.setMaximized(v.length > 4 && Boolean.parseBoolean(v[4]));
            } catch (RuntimeException ignored) {
                // damaged value: default bounds
            }
        });
    }

    private void saveBounds() {
        if (stage == null || stage.isIconified()) {
            return;
        }
        if (stage.isMaximized()) {
            String before = prefs.get(UiPreferences.WINDOW).orElse("");
            String[] v = before.split(",");
            if (v.length >= 4) {
                prefs.put(UiPreferences.WINDOW, String.join(",", v[0], v[1], v[2], v[3], "true"));
                return;
            }
        }
        prefs.put(UiPreferences.WINDOW, String.format(Locale.ROOT, "%.0f,%.0f,%.0f,%.0f,%b", stage.getX(), stage.getY(),
                stage.getWidth(), stage.getHeight(), stage.isMaximized()));
    }

    /** Saves the window state, stops following the backend and closes the service. */
    public void close() {
        saveBounds();
        terminals.closeAll();
        content.getChildren().clear(); // the view shown stops following the backend
        current = null;
        connection.close();
    }

    /** Shows a runner in the Runners view (the timeline's runner links). */
    public void showRunner(String runnerId) {
        navigate(View.RUNNERS);
        runners.select(runnerId);
    }

    /** Opens the timeline on one runner's events (for the runner detail's "Events" link). */
    public void showTimelineOf(String runnerId) {
        navigate(View.TIMELINE);
        timeline().showRunner(runnerId);
    }

    // for tests and the screenshot scenes
    public RunnerListController runners() {
        return runners;
    }

    public TerminalSessions terminals() {
        return terminals;
    }

    public TimelineController timeline() {
        return (TimelineController) viewOf(View.TIMELINE);
    }

    private TimelineController newTimeline() {
        TimelineController timeline = new TimelineController(connection, tasks, notifier, clock, this::window);
        timeline.setOnOpenRunner(this::showRunner);
        // a session link shows its runner, whose detail holds the session's terminal tab
        timeline.setOnOpenSession((runnerId, sessionId) -> {
            if (runnerId != null) {
                showRunner(runnerId);
            }
        });
        return timeline;
    }

    public PolicyController policies() {
        return (PolicyController) viewOf(View.POLICIES);
    }

    public SettingsController settings() {
        return settings;
    }

    public ActiveConnection connection() {
        return connection;
    }

    public ConnectionsController connections() {
        return connections;
    }

    public Notifier notifier() {
        return notifier;
    }

    public NotificationCentre notificationCentre() {
        return centre;
    }

    private static View parseView(String saved) {
        try {
            return View.valueOf(saved.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return View.RUNNERS;
        }
    }
}
