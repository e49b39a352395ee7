package dev.runnerdesk.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A window benchmark in a JVM of its own: this class path, the real glass (gtk) on our Xvfb, JavaFX's pulse logger on. */
final class ChildJvm {
    private ChildJvm() {
    }

    static void run(String display, Path log, long timeoutSeconds, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Djavafx.pulseLogger=true", "-Djavafx.pulseLogger.threshold=0",
                mainClass));
        command.addAll(List.of(args));
        Timing.run(command, log, timeoutSeconds, "DISPLAY", display);
    }
}
