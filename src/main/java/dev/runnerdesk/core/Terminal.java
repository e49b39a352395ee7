package dev.runnerdesk.core;

/** An interactive shell in a runner's session (a PTY): keys in, screen output out through its listener. */
public interface Terminal extends AutoCloseable {
    /** Sends keystrokes or pasted text (raw bytes, as a terminal emulator produces them). */
    void write(byte[] input);

    /** Follows the widget's size; the shell sees it as its window size. */
    void resize(TerminalSize size);

    boolean isAlive();

    /**
     * Whether the session had a shell before this one that ended when the backend closed (a restart of RunnerDesk):
     * its processes are gone and this is a new shell, which the person at the terminal should be told.
     */
    default boolean replacesEndedShell() {
        return false;
    }

    /** Ends the shell and every process it started. */
    @Override
    void close();
}
