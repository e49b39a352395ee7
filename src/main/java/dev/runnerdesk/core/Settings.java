package dev.runnerdesk.core;

import java.util.Optional;

/** Small named preferences (window state, connection profiles). Never a secret: see {@link SecretStore}. */
public interface Settings {
    Optional<String> get(String key);

    void put(String key, String value);
}
