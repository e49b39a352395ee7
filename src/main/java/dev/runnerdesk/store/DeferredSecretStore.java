package dev.runnerdesk.store;

import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.SecretStore;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A secret store whose keychain probe runs in the background (from start-up in the app, so the first window
 * does not wait for it; from first use in the CLI, so commands that need no secret never probe); a use of a
 * secret waits for the probe's answer (it is bounded by its own timeout).
 */
public final class DeferredSecretStore implements SecretStore {
    private final Supplier<CompletableFuture<SecretStore>> store;

    /** @param store the probe, started by the supplier on its first call and the same future ever after */
    public DeferredSecretStore(Supplier<CompletableFuture<SecretStore>> store) {
        this.store = store;
    }

    private SecretStore store() {
        try {
            return store.get().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException.Unavailable("interrupted while opening the keychain");
        } catch (ExecutionException e) {
            throw new RunnerException.Unavailable("the keychain could not be opened: " + e.getCause().getMessage());
        }
    }

    @Override
    public Optional<String> get(String name) {
        return store().get(name);
    }

    @Override
    public void put(String name, String secret) {
        store().put(name, secret);
    }

    @Override
    public void delete(String name) {
        store().delete(name);
    }

    @Override
    public boolean persistent() {
        return store().persistent();
    }

    @Override
    public Optional<String> limitation() {
        return store().limitation();
    }
}
