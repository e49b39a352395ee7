package dev.runnerdesk.cli;

import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.store.DeferredSecretStore;
import dev.runnerdesk.store.FileSecretStore;
import dev.runnerdesk.store.KeychainSecretStore;
import dev.runnerdesk.store.MemorySecretStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the app and the CLI keep API keys. By default the OS keychain, probed in the background — at once
 * ({@link #probeNow()}, the app) or on the first secret read (the CLI, whose commands mostly need none); where none
 * works, keys live in memory for this run, with the reason. The person may opt into a plain-text file only they can
 * read, {@code <data-dir>/credentials} (Settings → Where keys are kept; the file's existence is the choice, so it
 * outlasts a restart), and {@value #VARIABLE} ({@code keychain}, {@code file} or {@code memory}) fixes the choice
 * for one process.
 *
 * <p>The audit trail's signing key is not an API key: it stays in the OS keychain where one works, else in the audit
 * key file ({@link #auditSecrets}), whatever is chosen here.
 */
final class Keychain implements AutoCloseable, KeyStorage {
    static final String VARIABLE = "RUNNERDESK_KEY_STORE";

    private enum Choice { KEYCHAIN, FILE, MEMORY }

    private final Optional<Path> file;
    private final Optional<String> fixedBy;
    private Choice choice;
    private CompletableFuture<KeychainSecretStore.Probe> probe;
    /** The OS keychain, or where none works the in-memory store: made once, the same store on every read. */
    private CompletableFuture<SecretStore> keychainOrMemory;
    /** Where API keys are now, with why they are not where they were meant to be. */
    private CompletableFuture<Resolved> current;
    final SecretStore secrets = new DeferredSecretStore(() -> current().thenApply(Resolved::store));
    final SecretStore auditSecrets = new DeferredSecretStore(this::keychainOrMemory);

    private record Resolved(SecretStore store, Where where, Optional<String> problem) {
    }

    /** Keychain or memory only: for what has no data directory. */
    Keychain() {
        this(null, Map.of());
    }

    /** @param dataDir where the opt-in file lives; {@code environment} may hold {@value #VARIABLE} */
    Keychain(Path dataDir, Map<String, String> environment) {
        this.file = Optional.ofNullable(dataDir).map(d -> d.resolve(FileSecretStore.FILE_NAME));
        String fixed = environment.get(VARIABLE);
        if (fixed != null && !fixed.isBlank()) {
            choice = switch (fixed.trim().toLowerCase(Locale.ROOT)) {
                case "keychain" -> Choice.KEYCHAIN;
                case "memory" -> Choice.MEMORY;
                case "file" -> {
                    if (file.isEmpty()) {
                        throw new RunnerException.InvalidRequest("key_store", VARIABLE + "=file needs a data directory");
                    }
                    yield Choice.FILE;
                }
                default -> throw new RunnerException.InvalidRequest("key_store", VARIABLE + " is \"" + fixed.trim()
                        + "\"; use keychain, file or memory");
            };
            fixedBy = Optional.of(VARIABLE + "=" + fixed.trim());
        } else {
            choice = file.filter(f -> Files.exists(f, LinkOption.NOFOLLOW_LINKS)).isPresent() ? Choice.FILE : Choice.KEYCHAIN;
            fixedBy = Optional.empty();
        }
    }

    synchronized CompletableFuture<KeychainSecretStore.Probe> probe() {
        if (probe == null) {
            probe = CompletableFuture.supplyAsync(() -> KeychainSecretStore.probe(Duration.ofSeconds(3)));
        }
        return probe;
    }

    private synchronized CompletableFuture<SecretStore> keychainOrMemory() {
        if (keychainOrMemory == null) {
            keychainOrMemory = probe().thenApply(p -> p.store().<SecretStore>map(s -> s)
                    .orElseGet(() -> new MemorySecretStore(p.reason())));
        }
        return keychainOrMemory;
    }

    private synchronized CompletableFuture<Resolved> current() {
        if (current == null) {
            current = resolve(choice);
        }
        return current;
    }

    private CompletableFuture<Resolved> resolve(Choice wanted) {
        return switch (wanted) {
            case MEMORY -> CompletableFuture.completedFuture(new Resolved(new MemorySecretStore(fixedBy.orElse("chosen")
                    + ": keys are kept for this run only"), Where.THIS_RUN, Optional.empty()));
            case KEYCHAIN -> keychainOrMemory().thenApply(this::fallback);
            case FILE -> CompletableFuture.supplyAsync(() -> FileSecretStore.open(file.orElseThrow()))
                    .thenCompose(opened -> opened.store().<CompletableFuture<Resolved>>map(s -> CompletableFuture.completedFuture(
                            new Resolved(s, Where.FILE, Optional.empty())))
                            // a key file others could read is not used: the keychain or memory, saying why
                            .orElseGet(() -> keychainOrMemory().thenApply(s -> new Resolved(s, s.persistent()
                                    ? Where.KEYCHAIN : Where.THIS_RUN, Optional.of(opened.reason())))));
        };
    }

    private Resolved fallback(SecretStore s) {
        return new Resolved(s, s.persistent() ? Where.KEYCHAIN : Where.THIS_RUN, s.limitation());
    }

    Keychain probeNow() {
        probe();
        return this;
    }

    @Override
    public State state() {
        Resolved r = current().join();
        return new State(r.where(), file.map(Path::toString).orElse(""), r.problem(), fixedBy);
    }

    @Override
    public synchronized State useFile(boolean useFile, Collection<String> names) {
        if (fixedBy.isPresent()) {
            throw new RunnerException.InvalidRequest("key_store", "where keys are kept is set by " + fixedBy.get()
                    + " for this run");
        }
        if (file.isEmpty()) {
            throw new RunnerException.Unavailable("keeping keys in a file needs a data directory");
        }
        SecretStore from = current().join().store();
        if (useFile) {
            FileSecretStore.Opened opened = FileSecretStore.open(file.get());
            FileSecretStore to = opened.store().orElseThrow(() -> new RunnerException.Unavailable(opened.reason()));
            for (String name : names) {
                from.get(name).ifPresent(key -> to.put(name, key));
            }
            if (from != to) {
                names.forEach(from::delete);
            }
            choice = Choice.FILE;
            current = CompletableFuture.completedFuture(new Resolved(to, Where.FILE, Optional.empty()));
        } else {
            SecretStore to = keychainOrMemory().join();
            if (from instanceof FileSecretStore kept) {
                kept.all().forEach(to::put);
            }
            try {
                FileSecretStore.delete(file.get());
            } catch (IOException e) {
                throw new RunnerException.Unavailable("cannot delete the key file " + file.get() + ": " + e.getMessage(), e);
            }
            choice = Choice.KEYCHAIN;
            current = CompletableFuture.completedFuture(fallback(to));
        }
        return state();
    }

    @Override
    public synchronized void close() {
        if (probe != null) {
            probe.thenAccept(p -> p.store().ifPresent(KeychainSecretStore::close));
        }
    }
}
