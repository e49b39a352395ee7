package dev.runnerdesk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Plain timed runs for what JMH cannot hold (processes, windows): warm-up first, then the median. */
final class Timing {
    private Timing() {
    }

    @FunctionalInterface
    interface Measurement {
        double measure() throws Exception;
    }

    /** Runs {@code warmups} unrecorded, then {@code runs} recorded measurements; returns their median. */
    static double median(String what, int warmups, int runs, Measurement m) throws Exception {
        for (int i = 0; i < warmups; i++) {
            m.measure();
        }
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = m.measure();
        }
        double median = median(values);
        System.out.printf("  %s: %s → median %s%n", what, Arrays.toString(values), Figure.num(median));
        return median;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Runs a command to its end (output to {@code log}); fails on a non-zero exit or after {@code timeoutSeconds}. */
    static void run(List<String> command, Path log, long timeoutSeconds, String... env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s (log: " + log + ")");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + " (log: " + log + ")");
        }
    }

    /** Whether a program is on the PATH. */
    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
