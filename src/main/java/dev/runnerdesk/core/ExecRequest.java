package dev.runnerdesk.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** A command to run: argv (no shell unless argv names one) and a timeout in seconds. */
public record ExecRequest(List<String> argv, int timeoutSeconds) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;
    /** Total bytes of all argv elements (UTF-8). */
    public static final int MAX_ARGV_BYTES = 256 * 1024;
    /** Bytes of one argv element (UTF-8); Linux refuses one of 128 KiB or more (MAX_ARG_STRLEN), so stay well below. */
    public static final int MAX_ARG_BYTES = 64 * 1024;
    /** How many argv elements; each also costs a pointer in the kernel's argument space. */
    public static final int MAX_ARGS = 4096;

    public ExecRequest {
        Objects.requireNonNull(argv, "argv");
        argv = List.copyOf(argv);
    }

    public ExecRequest(List<String> argv) {
        this(argv, DEFAULT_TIMEOUT_SECONDS);
    }

    /** Refuses an argv no command can receive, naming the element and the limit it breaks (field {@code argv}). */
    public static void check(List<String> argv) {
        if (argv.isEmpty()) {
            throw new RunnerException.InvalidRequest("argv", "argv must name a command; it is empty");
        }
        if (argv.size() > MAX_ARGS) {
            throw new RunnerException.InvalidRequest("argv", "argv has " + argv.size() + " elements; the limit is " + MAX_ARGS);
        }
        long total = 0;
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg == null) {
                throw new RunnerException.InvalidRequest("argv", "argv[" + i + "] is null; every element must be a string");
            }
            if (arg.indexOf('\0') >= 0) {
                throw new RunnerException.InvalidRequest("argv", "argv[" + i + "] contains a NUL byte, which no command can receive");
            }
            int bytes = arg.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_ARG_BYTES) {
                throw new RunnerException.InvalidRequest("argv", "argv[" + i + "] is " + bytes + " bytes; the limit for one element is "
                        + MAX_ARG_BYTES + " (64 KiB)");
            }
            total += bytes;
        }
        if (argv.get(0).isEmpty()) {
            throw new RunnerException.InvalidRequest("argv", "argv[0] must name a command; it is an empty string");
        }
        if (total > MAX_ARGV_BYTES) {
            throw new RunnerException.InvalidRequest("argv", "argv is " + total + " bytes in total; the limit is "
                    + MAX_ARGV_BYTES + " (256 KiB)");
        }
    }
}
