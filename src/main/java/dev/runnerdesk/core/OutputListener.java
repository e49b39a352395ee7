package dev.runnerdesk.core;

/** Receives a command's output while it runs. Called from a background thread, in order per stream. */
@FunctionalInterface
public interface OutputListener {
    enum Stream { STDOUT, STDERR }

    void onOutput(Stream stream, String chunk);

    OutputListener NONE = (stream, chunk) -> { };
}
