package dev.runnerdesk.core;

import java.util.List;
import java.util.Objects;

/** A command to run: argv (no shell unless argv names one) and a timeout in seconds. */
public record ExecRequest(List<String> argv, int timeoutSeconds) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;
    /** Total bytes of all argv elements (UTF-8). */
    public static final int MAX_ARGV_BYTES = 256 * 1024;

    public ExecRequest {
        Objects.requireNonNull(argv, "argv");
        argv = List.copyOf(argv);
    }

    public ExecRequest(List<String> argv) {
        this(argv, DEFAULT_TIMEOUT_SECONDS);
    }
}
