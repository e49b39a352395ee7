package dev.runnerdesk.provider.computeruse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A desktop whose commands run on this computer through bash, with the fake X tools first on PATH. */
final class LocalDesktop implements Desktop {
    private final FakeDesktopTools tools;
    private final Path workDir;

    LocalDesktop(FakeDesktopTools tools, Path workDir) {
        this.tools = tools;
        this.workDir = workDir;
    }

    @Override
    public CommandResult run(String command, Duration timeout) {
        try {
            Path out = Files.createTempFile(workDir, "out", ".txt");
            Path err = Files.createTempFile(workDir, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("PATH", tools.bin() + ":" + System.getenv("PATH"));
            builder.environment().put("DISPLAY", ":0");
            Process process = builder.start();
            boolean finished = process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            return new CommandResult(finished ? process.exitValue() : 124, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), !finished);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
