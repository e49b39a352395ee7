package dev.runnerdesk.core;

import java.util.Objects;

/**
 * The outcome of one command. {@code truncated} is set when an output stream passed the profile's cap;
 * {@code oom} when the runner's memory limit made the kernel kill a process of the command.
 */
public record ExecResult(String commandId, int exitCode, String stdout, String stderr, long durationMs,
                         boolean timedOut, boolean truncated, boolean oom) {
    public ExecResult {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    public ExecResult(String commandId, int exitCode, String stdout, String stderr, long durationMs,
                      boolean timedOut, boolean truncated) {
        this(commandId, exitCode, stdout, stderr, durationMs, timedOut, truncated, false);
    }
}
