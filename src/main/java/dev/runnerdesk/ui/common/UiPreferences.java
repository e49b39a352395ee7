package dev.runnerdesk.ui.common;

import dev.runnerdesk.core.Settings;
import javafx.animation.PauseTransition;
import javafx.util.Duration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's preferences in {@link Settings}: read once before the window opens (off the FX thread), kept in
 * memory, written back in the background a moment after they change, and flushed at exit. Never a secret.
 */
public final class UiPreferences {
    public static final String WINDOW = "ui.window";
    public static final String LAST_VIEW = "ui.last_view";
    public static final String THEME = "ui.theme";
    public static final String RUNNER_COLUMNS = "ui.runners.columns";
    public static final String RUNNER_SORT = "ui.runners.sort";
    /** The runner table's share of the Runners view beside the detail pane (0..1). */
    public static final String RUNNER_DETAIL_DIVIDER = "ui.runners.detail_divider";
    /** The views' share of the window above the Sessions drawer (0..1). */
    public static final String SESSIONS_DIVIDER = "ui.sessions.divider";
    public static final String TERMINAL_FONT_FAMILY = "ui.terminal.font_family";
    public static final String TERMINAL_FONT_SIZE = "ui.terminal.font_size";
    /** Lines a terminal keeps above the screen (Settings → Terminal). */
    public static final String TERMINAL_SCROLLBACK = "ui.terminal.scrollback";
    /** An exec-mode command's timeout in seconds (Settings → Terminal). */
    public static final String TERMINAL_EXEC_TIMEOUT = "ui.terminal.exec_timeout";
    public static final String PROFILES = "connections.profiles";
    public static final String ACTIVE_PROFILE = "connections.active";
    /** Each gateway call's deadline in seconds (Settings → Connections). */
    public static final String GATEWAY_DEADLINE = "connections.deadline_seconds";
    private static final List<String> KEYS = List.of(WINDOW, LAST_VIEW, THEME, RUNNER_COLUMNS, RUNNER_SORT, PROFILES,
            ACTIVE_PROFILE, RUNNER_DETAIL_DIVIDER, SESSIONS_DIVIDER, TERMINAL_FONT_FAMILY, TERMINAL_FONT_SIZE, TERMINAL_SCROLLBACK,
            TERMINAL_EXEC_TIMEOUT, GATEWAY_DEADLINE);
    private static final System.Logger LOG = System.getLogger(UiPreferences.class.getName());

    private final Settings settings;
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final Map<String, String> dirty = new LinkedHashMap<>();
    private TaskExecutor tasks;
    private PauseTransition debounce;

    private UiPreferences(Settings settings) {
        this.settings = settings;
    }

    /** Reads every preference the UI knows; call it off the FX thread. */
    public static UiPreferences load(Settings settings) {
        UiPreferences prefs = new UiPreferences(settings);
        for (String key : KEYS) {
            try {
                settings.get(key).ifPresent(v -> prefs.values.put(key, v));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read preference " + key + ": " + e.getMessage());
            }
        }
        return prefs;
    }

    /** From now on, writes go through {@code tasks}; call on the FX thread. */
    public void writeThrough(TaskExecutor tasks) {
        this.tasks = tasks;
        debounce = new PauseTransition(Duration.millis(400));
        debounce.setOnFinished(e -> writeDirty());
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Remembers a value; it reaches the settings store shortly, in the background. Call on the FX thread. */
    public void put(String key, String value) {
        if (!KEYS.contains(key)) { // one not read back at the next start would be lost: a mistake in this code
            throw new IllegalArgumentException("not a preference this app reads back: " + key);
        }
        if (value.equals(values.get(key))) {
            return;
        }
        values.put(key, value);
        synchronized (dirty) {
            dirty.put(key, value);
        }
        if (debounce != null) {
            debounce.playFromStart();
        }
    }

    /** Writes what is still pending, on the calling thread (at exit, when no window is left to freeze). */
    public void flush() {
        if (debounce != null) {
            debounce.stop();
        }
        write(takeDirty());
    }

    private void writeDirty() {
        Map<String, String> batch = takeDirty();
        if (!batch.isEmpty()) {
            tasks.submit("save preferences", () -> {
                write(batch);
                return null;
            }, ok -> { }, e -> LOG.log(System.Logger.Level.WARNING, "cannot save preferences: " + e.getMessage()));
        }
    }

    private Map<String, String> takeDirty() {
        synchronized (dirty) {
            Map<String, String> batch = new LinkedHashMap<>(dirty);
            dirty.clear();
            return batch;
        }
    }

    private void write(Map<String, String> batch) {
        batch.forEach(settings::put);
    }
}
