package dev.runnerdesk.core;

import java.util.Objects;

/** The outcome of one command. {@code truncated} is set when an output stream passed the profile's cap. */
public record ExecResult(String commandId, int exitCode, String stdout, String stderr, long durationMs,
                         boolean timedOut, boolean truncated) {
    public ExecResult {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }
}
