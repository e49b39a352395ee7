package dev.runnerdesk.cli;

import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.store.DeferredSecretStore;
import dev.runnerdesk.store.KeychainSecretStore;
import dev.runnerdesk.store.MemorySecretStore;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The OS keychain, probed in the background from the moment it is asked for (the first secret read waits for
 * the probe); where none works, secrets live in memory for this run, with the reason.
 */
final class Keychain implements AutoCloseable {
    private final CompletableFuture<KeychainSecretStore.Probe> probe = CompletableFuture.supplyAsync(
            () -> KeychainSecretStore.probe(Duration.ofSeconds(3)));
    final SecretStore secrets = new DeferredSecretStore(probe.thenApply(p -> p.store().<SecretStore>map(s -> s)
            .orElseGet(() -> new MemorySecretStore(p.reason()))));

    @Override
    public void close() {
        if (probe.isDone()) {
            probe.join().store().ifPresent(KeychainSecretStore::close);
        } else {
            probe.thenAccept(p -> p.store().ifPresent(KeychainSecretStore::close));
        }
    }
}
