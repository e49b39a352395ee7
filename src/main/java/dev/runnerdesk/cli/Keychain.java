package dev.runnerdesk.cli;

import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.store.DeferredSecretStore;
import dev.runnerdesk.store.KeychainSecretStore;
import dev.runnerdesk.store.MemorySecretStore;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The OS keychain, probed in the background — at once ({@link #probeNow()}, the app) or on the first secret
 * read (the CLI, whose commands mostly need none); where none works, secrets live in memory for this run,
 * with the reason.
 */
final class Keychain implements AutoCloseable {
    private CompletableFuture<KeychainSecretStore.Probe> probe;
    /** The store the probe chose, made once: the in-memory fallback must be the same store on every read. */
    private CompletableFuture<SecretStore> store;
    final SecretStore secrets = new DeferredSecretStore(this::store);

    synchronized CompletableFuture<KeychainSecretStore.Probe> probe() {
        if (probe == null) {
            probe = CompletableFuture.supplyAsync(() -> KeychainSecretStore.probe(Duration.ofSeconds(3)));
        }
        return probe;
    }

    private synchronized CompletableFuture<SecretStore> store() {
        if (store == null) {
            store = probe().thenApply(p -> p.store().<SecretStore>map(s -> s).orElseGet(() -> new MemorySecretStore(p.reason())));
        }
        return store;
    }

    Keychain probeNow() {
        probe();
        return this;
    }

    @Override
    public synchronized void close() {
        if (probe != null) {
            probe.thenAccept(p -> p.store().ifPresent(KeychainSecretStore::close));
        }
    }
}
