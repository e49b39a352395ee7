package dev.runnerdesk.core;

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
        return WireNames.parse(values(), PiiAction::wireName, "pii_action", value, false);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
