package dev.runnerdesk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An Xvfb display of our own (1280×800×24) for the window benchmarks and xterm; stopped by its process, never by name. */
final class Xvfb implements AutoCloseable {
    private final Process process;
    final String display;

    private Xvfb(Process process, String display) {
        this.process = process;
        this.display = display;
    }

    static Xvfb start(Path log) throws IOException, InterruptedException {
        if (!Timing.onPath("Xvfb")) {
            throw new IOException("Xvfb is not installed (apt-get install xvfb; scripts/bench.sh does it)");
        }
        int n = 77;
        while (Files.exists(Path.of("/tmp/.X" + n + "-lock")) || Files.exists(Path.of("/tmp/.X11-unix/X" + n))) {
            n++;
        }
        Process p = new ProcessBuilder(List.of("Xvfb", ":" + n, "-screen", "0", "1280x800x24", "-nolisten", "tcp"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path socket = Path.of("/tmp/.X11-unix/X" + n);
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            if (!p.isAlive()) {
                throw new IOException("Xvfb :" + n + " exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return new Xvfb(p, ":" + n);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
