package dev.runnerdesk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads JavaFX's own pulse logger ({@code -Djavafx.pulseLogger=true}, threshold 0: every pulse) from a child
 * JVM's output. Each {@code PULSE: n [a ms:b ms]} line gives the pulse's duration b, from the start of the
 * pulse on the FX thread (animations, CSS, layout, state copy) to the end of its painting on the render thread.
 * Only the pulses between the benchmark's {@link #START} and {@link #END} markers count.
 */
public final class PulseLog {
    public static final String START = "bench-window-start";
    public static final String END = "bench-window-end";
    private static final Pattern PULSE = Pattern.compile("^PULSE: \\d+ \\[(\\d+)ms:(\\d+)ms\\]");

    /** The pulses in the window: how many, and the longest. */
    record Pulses(int count, long maxMillis) {
    }

    private PulseLog() {
    }

    static Pulses read(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        boolean inside = false;
        int count = 0;
        long max = 0;
        for (String line : lines) {
            if (line.startsWith(START)) {
                inside = true;
            } else if (line.startsWith(END)) {
                inside = false;
            } else if (inside) {
                Matcher m = PULSE.matcher(line);
                if (m.find()) {
                    count++;
                    max = Math.max(max, Long.parseLong(m.group(2)));
                }
            }
        }
        if (count == 0) {
            throw new IllegalStateException("no pulses logged between the markers in " + log);
        }
        return new Pulses(count, max);
    }

    /** The values of {@code key=value} lines the child printed. */
    static List<Double> values(Path log, String key) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.startsWith(key + "="))
                .map(l -> Double.parseDouble(l.substring(key.length() + 1).trim())).toList();
    }
}
