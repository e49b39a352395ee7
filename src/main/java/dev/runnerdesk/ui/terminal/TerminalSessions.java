package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.beans.value.ObservableValue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The open terminals, one per session, kept while the session lives: they survive navigating between
 * runners and views, and end with their session or a switch of backend. FX thread only.
 */
public final class TerminalSessions {
    private final TaskExecutor tasks;
    private final BooleanSupplier dark;
    private final Map<String, TerminalView> open = new LinkedHashMap<>();
    private final Map<ProviderType, TerminalMode> modes = new HashMap<>();
    private RunnerService providersOf;
    private int scrollback = 10_000;
    private int execTimeoutSeconds = ExecRequest.DEFAULT_TIMEOUT_SECONDS;

    public TerminalSessions(TaskExecutor tasks, ObservableValue<Boolean> dark) {
        this.tasks = tasks;
        this.dark = dark::getValue;
        dark.addListener((o, was, now) -> open.values().forEach(v -> v.setDark(now)));
    }

    /** The terminal of a session: the open one, or a new one once it is known whether the provider has a PTY. */
    public void open(RunnerService service, String runnerId, String sessionId, ProviderType provider, Consumer<TerminalView> ready,
                     Consumer<Throwable> failed) {
        TerminalView existing = open.get(sessionId);
        if (existing != null) {
            ready.accept(existing);
            return;
        }
        if (service != providersOf) {
            modes.clear();
            providersOf = service;
        }
        TerminalMode mode = modes.get(provider);
        if (mode != null) {
            ready.accept(start(service, runnerId, sessionId, mode));
            return;
        }
        tasks.submit("Checking " + provider.wireName() + " for a terminal", service::providers, list -> {
            modes.put(provider, TerminalMode.of(list, provider));
            TerminalView again = open.get(sessionId);
            ready.accept(again != null ? again : start(service, runnerId, sessionId, modes.get(provider)));
        }, failed);
    }

    private TerminalView start(RunnerService service, String runnerId, String sessionId, TerminalMode mode) {
        TerminalView view = new TerminalView(service, tasks, runnerId, sessionId, mode == TerminalMode.SHELL,
                dark.getAsBoolean(), scrollback);
        view.setExecTimeout(execTimeoutSeconds);
        open.put(sessionId, view);
        view.start();
        return view;
    }

    /** A session that stopped ends its terminal. */
    public void onEvent(AuditEvent event) {
        if (event.eventType().equals(EventTypes.SESSION_STOPPED)) {
            event.sessionId().ifPresent(this::end);
        }
    }

    public void end(String sessionId) {
        TerminalView view = open.remove(sessionId);
        if (view != null) {
            view.close();
        }
    }

    public boolean isOpen(String sessionId) {
        return open.containsKey(sessionId);
    }

    /** Ends every terminal (the backend changed, or the window closes). */
    public void closeAll() {
        open.values().forEach(TerminalView::close);
        open.clear();
    }

    /** Settings for terminals opened from now on. */
    public void configure(int scrollbackLines, int execTimeout) {
        this.scrollback = scrollbackLines;
        this.execTimeoutSeconds = execTimeout;
        open.values().forEach(v -> v.setExecTimeout(execTimeout));
    }
}
