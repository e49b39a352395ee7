package dev.runnerdesk.core;

/** The size of a terminal in character cells. */
public record TerminalSize(int columns, int rows) {
    public TerminalSize {
        if (columns < 1 || columns > 1000 || rows < 1 || rows > 1000) {
            throw new RunnerException.InvalidRequest("size", "a terminal is 1–1000 columns by 1–1000 rows, got "
                    + columns + "×" + rows);
        }
    }
}
