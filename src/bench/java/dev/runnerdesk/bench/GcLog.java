package dev.runnerdesk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's heap from its {@code -Xlog:gc} file: the most in use before any collection (everything allocated, garbage
 * too) and after one (what was still held), in MiB.
 */
final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    record Peak(double before, double after, int collections) {
    }

    private GcLog() {
    }

    static Peak read(Path log) throws IOException {
        double before = 0;
        double after = 0;
        int n = 0;
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    before = Math.max(before, mib(m.group(1), m.group(2)));
                    after = Math.max(after, mib(m.group(3), m.group(4)));
                    n++;
                }
            }
        }
        return new Peak(before, after, n);
    }

    private static double mib(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }
}
