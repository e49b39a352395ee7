package dev.runnerdesk.store;

import com.github.javakeyring.BackendNotSupportedException;
import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;
import dev.runnerdesk.core.SecretStore;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Secrets in the OS keychain through java-keyring (macOS Keychain, Windows Credential Manager, the Secret
 * Service on Linux). Only used after {@link #probe} wrote, read back and deleted an entry: a keychain that
 * merely loads is not trusted. Never logs a secret.
 */
public final class KeychainSecretStore implements SecretStore, AutoCloseable {
    static final String SERVICE = "RunnerDesk";
    private static final String PROBE_NAME = "runnerdesk-probe";
    private static final System.Logger LOG = System.getLogger(KeychainSecretStore.class.getName());
    private final Keyring keyring;

    private KeychainSecretStore(Keyring keyring) {
        this.keyring = keyring;
    }

    /** The outcome of {@link #probe}: a working store, or why there is none. */
    public record Probe(Optional<KeychainSecretStore> store, String reason) {
        public Probe {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Opens the OS keychain and checks it with a write, read and delete of a probe entry, within
     * {@code timeout} (a Secret Service without a session bus can hang instead of failing).
     */
    public static Probe probe(Duration timeout) {
        CompletableFuture<Probe> attempt = CompletableFuture.supplyAsync(KeychainSecretStore::tryOpen, r -> {
            Thread t = new Thread(r, "runnerdesk-keychain-probe");
            t.setDaemon(true);
            t.start();
        });
        try {
            return attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            return none("the OS keychain did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return none(short_(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return none("interrupted while opening the OS keychain");
        }
    }

    private static Probe tryOpen() {
        Keyring keyring;
        try {
            keyring = Keyring.create();
        } catch (BackendNotSupportedException | RuntimeException | LinkageError e) {
            return none("no OS keychain backend here: " + short_(e));
        }
        String value = UUID.randomUUID().toString();
        try {
            keyring.setPassword(SERVICE, PROBE_NAME, value);
            String back = keyring.getPassword(SERVICE, PROBE_NAME);
            keyring.deletePassword(SERVICE, PROBE_NAME);
            if (!value.equals(back)) {
                closeQuietly(keyring);
                return none("the OS keychain did not give back what was stored");
            }
            return new Probe(Optional.of(new KeychainSecretStore(keyring)), "");
        } catch (PasswordAccessException | RuntimeException e) {
            closeQuietly(keyring);
            return none("the OS keychain refused a test entry: " + short_(e));
        }
    }

    private static Probe none(String reason) {
        LOG.log(System.Logger.Level.INFO, "API keys stay in memory: " + reason);
        return new Probe(Optional.empty(), reason);
    }

    private static String short_(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : "no details";
        m = m.replaceAll("\\s+", " ").trim();
        return m.length() > 160 ? m.substring(0, 157) + "…" : m;
    }

    private static void closeQuietly(Keyring keyring) {
        try {
            keyring.close();
        } catch (Exception ignored) {
            // nothing to do about a keychain that cannot close
        }
    }

    @Override
    public synchronized Optional<String> get(String name) {
        try {
            return Optional.ofNullable(keyring.getPassword(SERVICE, name));
        } catch (PasswordAccessException e) {
            // java-keyring reports a missing entry this way too
            LOG.log(System.Logger.Level.DEBUG, "no keychain entry " + name);
            return Optional.empty();
        }
    }

    @Override
    public synchronized void put(String name, String secret) {
        try {
            keyring.setPassword(SERVICE, name, secret);
        } catch (PasswordAccessException e) {
            throw new IllegalStateException("the OS keychain refused to store " + name + ": " + short_(e), e);
        }
    }

    @Override
    public synchronized void delete(String name) {
        try {
            keyring.deletePassword(SERVICE, name);
        } catch (PasswordAccessException e) {
            LOG.log(System.Logger.Level.DEBUG, "no keychain entry to delete: " + name);
        }
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public Optional<String> limitation() {
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        closeQuietly(keyring);
    }
}
