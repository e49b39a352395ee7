package dev.runnerdesk.testutil;

import dev.runnerdesk.core.Settings;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Settings kept in a map, for tests of what the UI remembers (a restart is a new UiPreferences on the same map). */
public final class MemorySettings implements Settings {
    private final Map<String, String> stored;

    public MemorySettings() {
        this(new HashMap<>());
    }

    public MemorySettings(Map<String, String> stored) {
        this.stored = stored;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(stored.get(key));
    }

    @Override
    public void put(String key, String value) {
        stored.put(key, value);
    }
}
