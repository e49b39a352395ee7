package dev.runnerdesk.core;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads the API's names of enum constants; an unknown one is an error naming the field and the accepted names. */
public final class WireNames {
    /** How much of a caller's value a message quotes back. */
    private static final int QUOTED_CHARS = 64;

    private WireNames() {
    }

    static <E extends Enum<E>> E parse(E[] values, Function<E, String> name, String field, String value, boolean ignoreCase) {
        for (E e : values) {
            String n = name.apply(e);
            if (ignoreCase ? n.equalsIgnoreCase(value) : n.equals(value)) {
                return e;
            }
        }
        String accepted = Arrays.stream(values).map(name).collect(Collectors.joining(", "));
        throw new RunnerException.InvalidRequest(field, field + " must be one of " + accepted + ", got " + quote(value));
    }

    /** A caller's value for a message: quoted, and cut short so that an answer never grows with what was sent. */
    public static String quote(String value) {
        return value == null ? "nothing"
                : "\"" + (value.length() <= QUOTED_CHARS ? value : value.substring(0, QUOTED_CHARS) + "…") + "\"";
    }
}
