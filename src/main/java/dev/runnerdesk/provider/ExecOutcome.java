package dev.runnerdesk.provider;

/** What a provider reports of one command; the runtime adds the command id and duration. */
public record ExecOutcome(int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated) {
}
