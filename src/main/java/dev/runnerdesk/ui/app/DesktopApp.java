package dev.runnerdesk.ui.app;

import dev.runnerdesk.core.RunnerService;
import javafx.application.Application;

import java.util.Objects;

/**
 * Starts the JavaFX application from a plain main (an {@code Application} subclass as main class cannot
 * start from a classpath). The composition root hands over the service it built.
 */
public final class DesktopApp {
    private static volatile RunnerService service;
    private static volatile Runnable onExit;

    private DesktopApp() {
    }

    /** Blocks until the last window closes, then runs {@code exitHook}. */
    public static void launch(RunnerService runnerService, Runnable exitHook) {
        service = Objects.requireNonNull(runnerService);
        onExit = exitHook;
        Application.launch(RunnerDeskApplication.class);
    }

    static RunnerService service() {
        return service;
    }

    static void exited() {
        Runnable hook = onExit;
        if (hook != null) {
            hook.run();
        }
    }
}
