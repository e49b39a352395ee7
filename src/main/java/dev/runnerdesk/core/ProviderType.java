package dev.runnerdesk.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of sandbox a runner can live in; {@link #wireName()} is the API's {@code provider_type}. */
public enum ProviderType {
    FAKE("fake"),
    LOCAL("local"),
    E2B("e2b"),
    CLAUDE_COMPUTER_USE("claude_computer_use");

    private final String wireName;

    ProviderType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses an API value, naming the field and the accepted values when it is unknown. */
    public static ProviderType fromWire(String value) {
        for (ProviderType type : values()) {
            if (type.wireName.equals(value)) {
                return type;
            }
        }
        throw new RunnerException.InvalidRequest("provider_type",
                "provider_type must be one of " + allWireNames() + ", got " + quote(value));
    }

    public static String allWireNames() {
        return Arrays.stream(values()).map(ProviderType::wireName).collect(Collectors.joining(", "));
    }

    static String quote(String value) {
        return value == null ? "nothing" : "\"" + value + "\"";
    }

    @Override
    public String toString() {
        return wireName;
    }
}
