package dev.runnerdesk.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading and writing the kernel's cgroup and /proc files: mounts, our own cgroup, counters, small text files. */
final class CgroupFiles {
    private static final System.Logger LOG = System.getLogger(CgroupFiles.class.getName());
    private static final int MAX_PROC_FILE = 1 << 20;

    private CgroupFiles() {
    }

    /** One line of /proc/self/mountinfo. */
    record Mount(String root, Path point, String fstype, Set<String> superOptions) {
        static List<Mount> parseAll(String mountinfo) {
            List<Mount> out = new ArrayList<>();
            for (String line : mountinfo.lines().limit(100_000).toList()) {
                String[] f = line.split(" ");
                int dash = List.of(f).indexOf("-");
                if (dash < 6 || f.length < dash + 4) {
                    continue;
                }
                out.add(new Mount(unescape(f[3]), Path.of(unescape(f[4])), f[dash + 1], Set.of(f[dash + 3].split(","))));
            }
            return out;
        }

        /** The directory of cgroup {@code path} (as /proc/self/cgroup names it) under this mount. */
        Path dirOf(String path) {
            String relative = path;
            if (!root.equals("/") && (path.equals(root) || path.startsWith(root + "/"))) {
                relative = path.substring(root.length());
            }
            relative = relative.replaceFirst("^/+", "");
            return relative.isEmpty() ? point : point.resolve(relative);
        }

        private static String unescape(String s) {
            // mountinfo writes space, tab, newline and backslash as \ooo
            Matcher m = Pattern.compile("\\\\([0-7]{3})").matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
            }
            return m.appendTail(out).toString();
        }
    }

    /** Our cgroup in the hierarchy of {@code controller} (v1), or in the v2 hierarchy for "". */
    static Optional<String> ownCgroupPath(String procSelfCgroup, String controller) {
        for (String line : procSelfCgroup.lines().limit(1000).toList()) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            boolean match = controller.isEmpty() ? f[0].equals("0") && f[1].isEmpty() : Set.of(f[1].split(",")).contains(controller);
            if (match && f[2].startsWith("/") && !f[2].contains("/../") && !f[2].endsWith("/..")) {
                return Optional.of(f[2]);
            }
        }
        return Optional.empty();
    }

    static OptionalLong counter(Path file, String key) {
        Optional<String> text = readSmall(file);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s+(\\d{1,19})$").matcher(text.get());
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    static Set<String> words(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : s.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Writes to an existing kernel file: never creates one (a missing control file is an error, not a new file). */
    static void write(Path file, String value) throws IOException {
        Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    }

    static void writeIfPresent(Path file, String value) {
        try {
            write(file, value);
        } catch (NoSuchFileException e) {
            // not offered by this kernel
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not write {0}: {1}", file, e.getMessage());
        }
    }

    /** A kernel file's text, at most {@value #MAX_PROC_FILE} bytes; empty if it cannot be read. */
    static Optional<String> readSmall(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(new String(in.readNBytes(MAX_PROC_FILE), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
}
