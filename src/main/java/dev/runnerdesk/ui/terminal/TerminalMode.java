package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException;

import java.util.List;

/**
 * Which terminal a session's tab gets, decided without the window: an interactive shell only where the service
 * reports it can open one, else the exec console; and what a shell that cannot be opened leads to.
 */
enum TerminalMode {
    SHELL, EXEC_CONSOLE;

    /** What to do when opening the shell failed. */
    enum AfterOpenFailure {
        /** The service has no terminal for this session (the contract's {@code Unavailable}): commands run through exec. */
        FALL_BACK_TO_CONSOLE,
        /** The session is over or not the caller's: neither a retry nor the console can help. */
        GIVE_UP,
        /** Something passing (a dropped connection): try again with backoff. */
        RETRY
    }

    /** A shell where the service reports {@code provider} with an interactive terminal, else the console. */
    static TerminalMode of(List<ProviderInfo> providers, ProviderType provider) {
        return providers.stream().anyMatch(p -> p.type() == provider && p.available() && p.interactiveTerminal())
                ? SHELL : EXEC_CONSOLE;
    }

    static AfterOpenFailure afterOpenFailure(Throwable error) {
        if (error instanceof RunnerException.Unavailable) {
            return AfterOpenFailure.FALL_BACK_TO_CONSOLE;
        }
        if (error instanceof RunnerException.Conflict || error instanceof RunnerException.NotFound
                || error instanceof RunnerException.Forbidden) {
            return AfterOpenFailure.GIVE_UP;
        }
        return AfterOpenFailure.RETRY;
    }
}
