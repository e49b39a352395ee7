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
    /** A pulse as the logger prints it: in full ({@code PULSE: 7 [16ms:3ms]}) or, when short, inline ({@code [7 16ms:3ms]}). */
    private static final Pattern PULSE = Pattern.compile("(?:PULSE: \\d+ \\[|\\[\\d+ )\\d+ms:(\\d+)ms\\]");

    private static final Pattern PAINTING = Pattern.compile("\\+(\\d+)ms\\): (?:Painting|Waiting for previous rendering)");

    /**
     * The pulses in the window: how many, the longest, how much of the longest was painting (the render thread) or waiting for it,
     * and the longest pulse less its painting (the FX thread's part: animations, CSS, layout, state copy).
     */
    record Pulses(int count, long maxMillis, long paintingOfMax, long maxWithoutPainting) {
    }

    private PulseLog() {
    }

    static Pulses read(Path log) throws IOException {
        String text = Files.readString(log);
        int from = text.indexOf(START);
        int to = text.indexOf(END, Math.max(from, 0));
        if (from < 0 || to < 0) {
            throw new IllegalStateException("the benchmark's markers are missing from " + log);
        }
        String window = text.substring(from, to);
        Matcher m = PULSE.matcher(window);
        int count = 0;
        long max = 0;
        long paintingOfMax = 0;
        long withoutPainting = 0;
        while (m.find()) {
            count++;
            long duration = Long.parseLong(m.group(1));
            // a full entry lists its phases up to the next entry
            Matcher next = PULSE.matcher(window);
            int end = next.find(m.end()) ? next.start() : window.length();
            Matcher paint = PAINTING.matcher(window.substring(m.end(), end));
            long painting = 0;
            while (paint.find()) {
                painting += Long.parseLong(paint.group(1));
            }
            if (duration > max) {
                max = duration;
                paintingOfMax = painting;
            }
            withoutPainting = Math.max(withoutPainting, duration - painting);
        }
        if (count == 0) {
            throw new IllegalStateException("no pulses logged between the markers in " + log);
        }
        return new Pulses(count, max, paintingOfMax, withoutPainting);
    }

    /** The values of {@code key=value} lines the child printed. */
    static List<Double> values(Path log, String key) throws IOException {
        Matcher m = Pattern.compile(Pattern.quote(key) + "=([0-9.]+)").matcher(Files.readString(log));
        List<Double> values = new java.util.ArrayList<>();
        while (m.find()) {
            values.add(Double.parseDouble(m.group(1)));
        }
        return values;
    }
}
