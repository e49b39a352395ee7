package dev.runnerdesk.core;

/** Receives what an interactive terminal prints, on a background thread, in order. */
public interface TerminalListener {
    /** Bytes the terminal printed (UTF-8 text with escape sequences; a chunk may end mid-character). */
    void onOutput(byte[] data);

    /** The shell ended (it exited, the session stopped, or the runner ended). */
    void onExit(int exitCode);
}
