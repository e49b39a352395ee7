package dev.runnerdesk.provider;

/**
 * What a provider reports of one command; the runtime adds the command id and duration. {@code oom} is set
 * when the sandbox's memory limit made the kernel kill a process of the command.
 */
public record ExecOutcome(int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated, boolean oom) {
    public ExecOutcome(int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated) {
        this(exitCode, stdout, stderr, timedOut, truncated, false);
    }
}
