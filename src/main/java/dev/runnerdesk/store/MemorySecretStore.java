package dev.runnerdesk.store;

import dev.runnerdesk.core.SecretStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Secrets kept in memory for this run only: the fallback where no OS keychain works. */
public final class MemorySecretStore implements SecretStore {
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final String limitation;

    public MemorySecretStore(String limitation) {
        this.limitation = limitation;
    }

    @Override
    public Optional<String> get(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public void put(String name, String secret) {
        secrets.put(name, secret);
    }

    @Override
    public void delete(String name) {
        secrets.remove(name);
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public Optional<String> limitation() {
        return Optional.of(limitation);
    }
}
