package dev.runnerdesk.core;

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
        return WireNames.parse(values(), ProviderType::wireName, "provider_type", value, false);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
