package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.bench.PulseLog;
import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.ui.common.FxTaskExecutor;
import dev.runnerdesk.ui.common.Theme;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of the terminal benchmark (run with JavaFX's pulse logger on): a local runner's interactive shell
 * in the terminal widget (scrollback 10,000), as the runner detail shows it; {@code cat} of the given file, timed
 * from sending the command until the widget shows the marker printed after it. One warm-up run, then the runs
 * asked for. Arguments: data dir, file, runs. Prints {@code grid=COLSxROWS} and {@code run-ms=…} per run.
 */
public final class TerminalCat extends Application {
    private static final int SCROLLBACK = 10_000;

    public static final class Launcher {
        private Launcher() {
        }

        public static void main(String[] args) {
            Application.launch(TerminalCat.class, args);
        }
    }

    @Override
    public void start(Stage stage) throws Exception {
        List<String> args = getParameters().getRaw();
        Path dataDir = Path.of(args.get(0));
        Path file = Path.of(args.get(1));
        int runs = Integer.parseInt(args.get(2));
        new Theme(false, Theme.Mode.LIGHT).apply();
        EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir);
        RunnerService service = runtime.serviceFor(Principal.localUser());
        String runner = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 3600)).runnerId();
        String session = service.startSession(runner, Optional.empty()).sessionId();
        // the file goes into the runner's workspace, the one place of the host the sandbox sees
        Files.copy(file, dataDir.resolve("sandboxes").resolve(runner).resolve("workspace").resolve("seq.txt"));
        TerminalView view = new TerminalView(service, new FxTaskExecutor(), runner, session, true, false, SCROLLBACK);
        stage.setScene(new Scene(new javafx.scene.layout.StackPane(view.view()), 1000, 640));
        stage.show();
        view.start();
        Thread driver = new Thread(() -> {
            try {
                drive(view, runs);
            } catch (Exception e) {
                e.printStackTrace();
                System.out.println("failed=" + e);
            } finally {
                runtime.close();
                System.out.flush();
                System.exit(0); // the widget's emulator thread would keep the JVM alive after Platform.exit
            }
        }, "bench-driver");
        driver.setDaemon(true);
        driver.start();
    }

    private static void drive(TerminalView view, int runs) throws Exception {
        await(view, "runner", 30_000);
        for (int run = 0; run <= runs; run++) {
            if (run == 1) {
                System.out.println(PulseLog.START);
            }
            String mark = "MARK" + run;
            long started = System.nanoTime();
            onFx(() -> view.send("cat seq.txt; printf 'DONE-%s\\n' " + mark + "\r"));
            await(view, "DONE-" + mark, 600_000);
            long ms = (System.nanoTime() - started) / 1_000_000;
            System.out.println((run == 0 ? "warmup-ms=" : "run-ms=") + ms);
        }
        System.out.println(PulseLog.END);
        var buffer = view.widget().getTerminalTextBuffer();
        System.out.println("grid=" + onFx(() -> buffer.getWidth() + "x" + buffer.getHeight()));
    }

    /** Waits until the screen (not the scrollback: building that text every poll would slow the emulator) shows {@code text}. */
    private static void await(TerminalView view, String text, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        var buffer = view.widget().getTerminalTextBuffer();
        while (!screen(buffer).contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("\"" + text + "\" never appeared");
            }
            Thread.sleep(100);
        }
    }

    private static String screen(com.techsenger.jeditermfx.core.model.TerminalTextBuffer buffer) {
        buffer.lock();
        try {
            return buffer.getScreenLines();
        } finally {
            buffer.unlock();
        }
    }

    private static <T> T onFx(java.util.function.Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> result.complete(work.get()));
        return result.get(30, TimeUnit.SECONDS);
    }

    private static void onFx(Runnable work) throws Exception {
        onFx(() -> {
            work.run();
            return null;
        });
    }
}
