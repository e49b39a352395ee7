package dev.runnerdesk.ui.app;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code runnerdesk --smoke}: shows the main window, measures the first frame (JVM start → window drawn),
 * creates a fake runner through the real service and runs one command, then exits 0 — or 1 on any error or
 * if the window never shows. The installers' smoke test runs it.
 */
final class SmokeRun {
    static final long TIMEOUT_SECONDS = 90;
    private static volatile int exitCode = 1;

    private SmokeRun() {
    }

    static int exitCode() {
        return exitCode;
    }

    /** Kills the process if the run does not finish in time (a window that never shows). */
    static void watchdog(PrintStream out) {
        Thread dog = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(TIMEOUT_SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            out.println("smoke: FAILED — nothing happened within " + TIMEOUT_SECONDS + " s (did the window show?)");
            out.flush();
            Runtime.getRuntime().halt(1);
        }, "runnerdesk-smoke-watchdog");
        dog.setDaemon(true);
        dog.start();
    }

    /** Called once the window is on screen. */
    static void start(AppServices services, TaskExecutor tasks, PrintStream out) {
        AnimationTimer firstFrame = new AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                out.println("first-frame-ms=" + ms);
                out.flush();
                tasks.submit("Smoke test", () -> exec(services), result -> finish(out, "smoke: ok — exec returned \""
                        + result.stdout() + "\" exit " + result.exitCode(), 0), e -> finish(out, "smoke: FAILED — " + e, 1));
            }
        };
        firstFrame.start();
    }

    private static ExecResult exec(AppServices services) {
        RunnerService service = services.backends().open(ConnectionProfile.thisComputer(), Optional.empty());
        Runner runner = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        Session session = service.startSession(runner.runnerId(), Optional.empty());
        ExecResult result = service.exec(runner.runnerId(), session.sessionId(), new ExecRequest(List.of("echo", "smoke"), 30));
        service.terminate(runner.runnerId());
        if (!result.stdout().equals("fake output") || result.exitCode() != 0) {
            throw new IllegalStateException("unexpected exec result " + result);
        }
        return result;
    }

    private static void finish(PrintStream out, String line, int code) {
        out.println(line);
        out.flush();
        exitCode = code;
        Platform.exit();
    }
}
