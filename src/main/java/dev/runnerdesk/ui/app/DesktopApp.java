package dev.runnerdesk.ui.app;

import javafx.application.Application;

import java.util.Objects;

/**
 * Starts the JavaFX application from a plain main (an {@code Application} subclass as main class cannot
 * start from a classpath). The composition root hands over the services it built.
 */
public final class DesktopApp {
    private static volatile AppServices services;
    private static volatile boolean smoke;

    private DesktopApp() {
    }

    /** Blocks until the last window closes; then {@link AppServices#onExit()} runs. */
    public static void launch(AppServices appServices) {
        services = Objects.requireNonNull(appServices);
        Application.launch(RunnerDeskApplication.class);
    }

    /** {@code --smoke}: as {@link #launch}, then one scripted check; returns the exit status. */
    public static int launchSmoke(AppServices appServices) {
        smoke = true;
        SmokeRun.watchdog(System.out);
        launch(appServices);
        return SmokeRun.exitCode();
    }

    static boolean smoke() {
        return smoke;
    }

    static AppServices services() {
        return services;
    }
}
