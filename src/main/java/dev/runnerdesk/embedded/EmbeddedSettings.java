package dev.runnerdesk.embedded;

import dev.runnerdesk.core.Settings;

import java.util.Optional;

/** {@link Settings} kept in the data directory's database. */
public final class EmbeddedSettings implements Settings {
    private final EmbeddedRuntime runtime;

    public EmbeddedSettings(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Optional<String> get(String key) {
        return runtime.db.read(c -> runtime.settings.get(c, key));
    }

    @Override
    public void put(String key, String value) {
        runtime.db.write(c -> {
            runtime.settings.put(c, key, value);
            return null;
        });
    }
}
