package dev.runnerdesk.core;

import java.util.regex.Pattern;

/**
 * What an id given by a caller may look like ({@code runner_…}, {@code sess_…} and {@code cmd_…} all do). Checked
 * before an id is looked up or written into an audit event, so neither holds an unbounded or odd string.
 */
public final class IdFormat {
    public static final int MAX_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private IdFormat() {
    }

    /** The id, if it has the shape of one; otherwise a 400 naming {@code field} (the value is not echoed). */
    public static String check(String field, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new RunnerException.InvalidRequest(field, field + " must be 1 to " + MAX_LENGTH
                    + " letters, digits, '_' or '-'" + (id == null ? "; it is missing" : ""));
        }
        return id;
    }
}
