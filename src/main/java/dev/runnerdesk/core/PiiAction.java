package dev.runnerdesk.core;


import java.util.Arrays;
import java.util.stream.Collectors;

/** What happens to output in which a {@link PiiDetector} finds something. */
public enum PiiAction {
    /** The detector is not reported and its matches stay in the text. */
    OFF("off"),
    /** Each match is replaced by {@code [REDACTED:<detector>]}. */
    REDACT("redact"),
    /** The output is withheld and the call fails with a policy error. */
    BLOCK("block");

    private final String wireName;

    PiiAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static PiiAction fromWire(String value) {
        for (PiiAction action : values()) {
            if (action.wireName.equals(value)) {
                return action;
            }
        }
        throw new RunnerException.InvalidRequest("pii_action",
                "pii_action must be one of " + allWireNames() + ", got " + quote(value));
    }

    public static String allWireNames() {
        return Arrays.stream(values()).map(PiiAction::wireName).collect(Collectors.joining(", "));
    }

    static String quote(String value) {
        return value == null ? "nothing" : "\"" + value + "\"";
    }

    @Override
    public String toString() {
        return wireName;
    }
}
