package dev.runnerdesk.core;

import java.util.Optional;

/** Where secrets (API keys) are kept: the OS keychain, or memory for this run where no keychain works. */
public interface SecretStore {
    Optional<String> get(String name);

    void put(String name, String secret);

    void delete(String name);

    /** False when secrets are only kept in memory until the app exits (no working keychain). */
    boolean persistent();

    /** Why secrets are not persistent, for the UI to say; empty when they are. */
    Optional<String> limitation();

    /** A key as shown to people: dots and its last four characters (none of a short one), so keys can be told apart. */
    static String mask(String key) {
        if (key == null || key.isEmpty()) {
            return "";
        }
        String tail = key.length() > 8 ? key.substring(key.length() - 4) : "";
        return "••••••••" + tail;
    }
}
