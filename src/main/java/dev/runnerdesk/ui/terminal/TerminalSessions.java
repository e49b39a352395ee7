package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Window;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The open terminals, kept while their session lives, shown in the {@link SessionsDrawer}: they survive navigating
 * between runners and views, and end with their session, their tab or a switch of backend. A terminal that ends
 * without its session ending (its tab closed, the connection switched) leaves its text behind, per connection,
 * runner and session: opened again, it starts with that text and a line saying what became of what was running.
 * FX thread only.
 */
public final class TerminalSessions {
    /**
     * An open terminal: the first of a session is keyed by the session id, a split's by {@code sessionId#n}; {@code place}
     * names its connection, runner and key as they were when it opened (a switch changes the connection before it
     * ends the terminals).
     */
    private record Opened(TerminalView view, RunnerService service, String runnerId, String sessionId, ProviderType provider,
                          boolean shell, String place) {
    }

    /** The text a terminal showed when it ended, and why it ended. */
    private record Left(String text, String why) {
    }

    private final TaskExecutor tasks;
    private final BooleanSupplier dark;
    private final Map<String, Opened> open = new LinkedHashMap<>();
    private final Map<ProviderType, TerminalMode> modes = new HashMap<>();
    private final Map<String, Left> leftBehind = new HashMap<>();
    private final SessionsDrawer drawer = new SessionsDrawer();
    private Supplier<String> connection = () -> "";
    private RunnerService providersOf;
    private int scrollback = 10_000;
    private int execTimeoutSeconds = ExecRequest.DEFAULT_TIMEOUT_SECONDS;
    private String fontFamily = TerminalSettings.DEFAULT_FONT_FAMILY;
    private float fontSize = TerminalSettings.DEFAULT_FONT_SIZE;

    public TerminalSessions(TaskExecutor tasks, ObservableValue<Boolean> dark) {
        this.tasks = tasks;
        this.dark = dark::getValue;
        dark.addListener((o, was, now) -> open.values().forEach(v -> v.view().setDark(now)));
        drawer.onClose = this::closeTerminal;
        drawer.onSplit = this::split;
    }

    /** The drawer the terminals are shown in; the window places it. */
    public SessionsDrawer drawer() {
        return drawer;
    }

    /** Names the connection in use (its profile id), so what terminals leave behind is kept per connection. */
    public void setConnection(Supplier<String> connectionId) {
        this.connection = connectionId;
    }

    /**
     * Shows a session's terminal in the drawer, opening it if needed, and opens the drawer; with {@code focus}, keys go
     * to it at once.
     */
    public void show(RunnerService service, String runnerId, String sessionId, ProviderType provider, boolean focus,
                     Consumer<Throwable> failed) {
        open(service, runnerId, sessionId, provider, view -> {
            Opened opened = open.get(sessionId);
            if (opened == null) {
                return; // ended while it opened
            }
            place(sessionId, opened, false);
            drawer.shownProperty().set(true);
            drawer.select(sessionId);
            if (focus) {
                focusWhenShown(view.focusTarget());
            }
        }, failed);
    }

    /** Selects the session's terminal in the drawer if it is open there (without taking the focus). */
    public void reveal(String sessionId) {
        if (drawer.contains(sessionId)) {
            drawer.select(sessionId);
        }
    }

    /** The terminal of a session: the open one, or a new one once it is known whether the provider has a PTY. */
    public void open(RunnerService service, String runnerId, String sessionId, ProviderType provider, Consumer<TerminalView> ready,
                     Consumer<Throwable> failed) {
        Opened existing = open.get(sessionId);
        if (existing != null) {
            ready.accept(existing.view());
            return;
        }
        if (service != providersOf) {
            modes.clear();
            providersOf = service;
        }
        TerminalMode mode = modes.get(provider);
        if (mode != null) {
            ready.accept(start(sessionId, service, runnerId, sessionId, provider, mode));
            return;
        }
        tasks.submit("Checking " + provider.wireName() + " for a terminal", service::providers, list -> {
            modes.put(provider, TerminalMode.of(list, provider));
            Opened again = open.get(sessionId);
            ready.accept(again != null ? again.view() : start(sessionId, service, runnerId, sessionId, provider, modes.get(provider)));
        }, failed);
    }

    private TerminalView start(String key, RunnerService service, String runnerId, String sessionId, ProviderType provider,
                               TerminalMode mode) {
        boolean shell = mode == TerminalMode.SHELL;
        TerminalView view = new TerminalView(service, tasks, runnerId, sessionId, shell, dark.getAsBoolean(), scrollback);
        view.setExecTimeout(execTimeoutSeconds);
        view.setFont(fontFamily, fontSize);
        String place = placeOf(runnerId, key);
        view.setHistoryKey(place);
        Left left = leftBehind.remove(place);
        if (left != null) {
            view.carryOver(left.text(), shell
                    ? "[the shell above ended when " + left.why() + "; this is a new shell]"
                    : "[above: this console before " + left.why() + "]");
        }
        open.put(key, new Opened(view, service, runnerId, sessionId, provider, shell, place));
        view.start();
        return view;
    }

    private String placeOf(String runnerId, String key) {
        return connection.get() + " " + runnerId + " " + key;
    }

    private void place(String key, Opened opened, boolean beside) {
        if (drawer.contains(key)) {
            return;
        }
        String title = key.contains("#") ? opened.runnerId() + " (" + key.substring(key.indexOf('#') + 1) + ")" : opened.runnerId();
        String about = "Session " + opened.sessionId() + " of " + opened.runnerId()
                + (opened.shell() ? ", interactive shell" : ", exec mode");
        opened.view().describe(title);
        drawer.add(key, title, about, new TerminalHolder(opened.view(), title + " · " + opened.sessionId(), this::window), beside);
    }

    private Window window() {
        return drawer.view().getScene() == null ? null : drawer.view().getScene().getWindow();
    }

    /**
     * A second terminal of the selected terminal's session beside it (a new shell in the same sandbox, or a second
     * console); at the most panes, a new tab instead.
     */
    public void split() {
        Optional<Opened> selected = drawer.selectedKey().map(open::get);
        if (selected.isEmpty()) {
            return;
        }
        Opened of = selected.get();
        int n = 2;
        while (open.containsKey(of.sessionId() + "#" + n)) {
            n++;
        }
        String key = of.sessionId() + "#" + n;
        TerminalView view = start(key, of.service(), of.runnerId(), of.sessionId(), of.provider(),
                of.shell() ? TerminalMode.SHELL : TerminalMode.EXEC_CONSOLE);
        place(key, open.get(key), true);
        drawer.shownProperty().set(true);
        focusWhenShown(view.focusTarget());
    }

    /** Puts the keys into the selected terminal (Ctrl+` from the list); false when none is open. */
    public boolean focusSelected() {
        Optional<Opened> selected = drawer.selectedKey().map(open::get);
        selected.ifPresent(o -> focusWhenShown(o.view().focusTarget()));
        return selected.isPresent();
    }

    /** Closes the selected terminal (Ctrl+Shift+W), as its tab's ×. */
    public void closeSelected() {
        drawer.selectedKey().ifPresent(this::closeTerminal);
    }

    private void closeTerminal(String key) {
        leave(key, "its tab was closed");
        Opened opened = open.remove(key);
        if (opened != null) {
            opened.view().close();
        }
        drawer.remove(key);
        focusSelected();
    }

    /** Keeps what the terminal shows, for when it is opened again. */
    private void leave(String key, String why) {
        Opened opened = open.get(key);
        if (opened == null) {
            return;
        }
        String text = opened.view().text().stripTrailing();
        if (!text.isBlank()) {
            leftBehind.put(opened.place(), new Left(text, why));
        }
    }

    private static void focusWhenShown(Node target) {
        if (target.getScene() != null) {
            Platform.runLater(target::requestFocus);
            return;
        }
        target.sceneProperty().addListener(new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Scene> o, Scene was, Scene now) {
                if (now != null) {
                    target.sceneProperty().removeListener(this);
                    Platform.runLater(target::requestFocus);
                }
            }
        });
    }

    /** A session that stopped ends its terminals. */
    public void onEvent(AuditEvent event) {
        if (event.eventType().equals(EventTypes.SESSION_STOPPED)) {
            event.sessionId().ifPresent(this::end);
        }
    }

    /** Ends every terminal of a session (it stopped): nothing of it is kept. */
    public void end(String sessionId) {
        for (Map.Entry<String, Opened> e : List.copyOf(open.entrySet())) {
            if (e.getValue().sessionId().equals(sessionId)) {
                open.remove(e.getKey());
                e.getValue().view().close();
                drawer.remove(e.getKey());
            }
        }
        leftBehind.keySet().removeIf(k -> k.endsWith(" " + sessionId) || k.contains(" " + sessionId + "#"));
    }

    public boolean isOpen(String sessionId) {
        return open.containsKey(sessionId);
    }

    /** The open terminal under {@code key} (a session id, or {@code sessionId#n} for a split). */
    public Optional<TerminalView> terminal(String key) {
        return Optional.ofNullable(open.get(key)).map(Opened::view);
    }

    /** Ends every terminal (the backend changed, or the window closes), keeping their text for that connection. */
    public void closeAll() {
        for (String key : List.copyOf(open.keySet())) {
            leave(key, "the connection was switched");
            open.remove(key).view().close();
            drawer.remove(key);
        }
    }

    /** Settings for terminals opened from now on. */
    public void configure(int scrollbackLines, int execTimeout) {
        this.scrollback = scrollbackLines;
        this.execTimeoutSeconds = execTimeout;
        open.values().forEach(v -> v.view().setExecTimeout(execTimeout));
    }

    /** The terminals' font (Settings → Terminal), for the open ones and those opened from now on. */
    public void setFont(String family, int size) {
        this.fontFamily = family;
        this.fontSize = size;
        open.values().forEach(v -> v.view().setFont(family, size));
    }
}
