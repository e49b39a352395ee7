package dev.runnerdesk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.AuditVerifier;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.wire.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The audit trail's trust anchor and signing key, both kept outside the database. The anchor,
 * {@code <data-dir>/audit/chain.json}, names the chain this data directory's database must hold and the public
 * keys that may sign its checkpoints. The private key is in the OS keychain where one works (entry
 * {@code audit-signing-key-<chain id>}), else in {@code <data-dir>/audit-key/signing-key} (0600, folder 0700).
 * Never logs a private key.
 */
public final class AuditKeys {
    static final String FOLDER = "audit";
    static final String KEY_FOLDER = "audit-key";
    private static final String ANCHOR = "chain.json";
    private static final String KEY_FILE = "signing-key";
    private static final System.Logger LOG = System.getLogger(AuditKeys.class.getName());

    /** What {@code chain.json} holds. */
    public record Anchor(String chainId, String publicKey, String keyId, String keyStore, List<RetiredKey> retiredKeys) {
        public Anchor {
            retiredKeys = List.copyOf(retiredKeys);
        }

        public AuditVerifier.Trust trust() {
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            keys.put(keyId, AuditSignatures.decodePublic(publicKey));
            retiredKeys.forEach(k -> keys.put(k.keyId(), AuditSignatures.decodePublic(k.publicKey())));
            return new AuditVerifier.Trust(chainId, keys);
        }
    }

    /** A key that signed this chain's earlier checkpoints and was replaced (lost with a keychain, moved machines). */
    public record RetiredKey(String keyId, String publicKey) {
    }

    private final Path dataDir;
    private final SecretStore secrets;

    /** @param secrets the OS keychain where one works; a store that is not {@link SecretStore#persistent()} means a key file */
    public AuditKeys(Path dataDir, SecretStore secrets) {
        this.dataDir = dataDir;
        this.secrets = secrets;
    }

    public Path folder() {
        return dataDir.resolve(FOLDER);
    }

    /** The anchor, if this data directory has one; an unreadable one is an error, never silently replaced. */
    public Optional<Anchor> anchor() throws IOException {
        Path file = folder().resolve(ANCHOR);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = Json.readObject(Files.readString(file, StandardCharsets.UTF_8));
            List<RetiredKey> retired = new ArrayList<>();
            if (json.get("retired_keys") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) {
                        retired.add(new RetiredKey(String.valueOf(m.get("key_id")), String.valueOf(m.get("public_key"))));
                    }
                }
            }
            Anchor anchor = new Anchor(text(json, "chain_id"), text(json, "public_key"), text(json, "key_id"),
                    text(json, "key_store"), retired);
            anchor.trust(); // every key must decode
            return Optional.of(anchor);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(file + " is not a RunnerDesk audit anchor: " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, Object> json, String field) {
        if (!(json.get(field) instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("field " + field + " is missing");
        }
        return s;
    }

    /**
     * Makes a new signing key for {@code chainId}, keeps its private half (keychain or key file), and writes the
     * anchor naming it; {@code retired} are keys of the chain's earlier checkpoints.
     */
    public Anchor create(String chainId, List<RetiredKey> retired) throws IOException {
        KeyPair pair = AuditSignatures.generate();
        String publicKey = AuditSignatures.encodePublic(pair.getPublic());
        String keyStore = keepPrivate(chainId, pair.getPrivate());
        Anchor anchor = new Anchor(chainId, publicKey, AuditSignatures.keyId(publicKey), keyStore, retired);
        write(anchor);
        return anchor;
    }

    private String keepPrivate(String chainId, PrivateKey key) throws IOException {
        String encoded = AuditSignatures.encodePrivate(key);
        if (keychainUsable()) {
            try {
                secrets.put(keychainEntry(chainId), encoded);
                return "keychain";
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the OS keychain refused the audit signing key ("
                        + e.getClass().getSimpleName() + "); keeping it in a private file instead");
            }
        }
        Path keyFolder = PrivateFiles.createDirectories(dataDir.resolve(KEY_FOLDER));
        Path file = keyFolder.resolve(KEY_FILE);
        Path tmp = keyFolder.resolve(KEY_FILE + ".new");
        Files.deleteIfExists(tmp);
        try (OutputStream out = PrivateFiles.newFile(tmp)) {
            out.write((chainId + "\n" + encoded + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return "file";
    }

    private boolean keychainUsable() {
        try {
            return secrets.persistent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The private key of the anchor's current public key. Empty when it is gone (a keychain entry deleted, a data
     * directory moved to another machine); throws when it cannot be looked for now (the keychain does not open in
     * this process), so a key that is only out of reach is never replaced.
     */
    public Optional<PrivateKey> privateKey(Anchor anchor) throws IOException {
        Optional<String> encoded;
        if ("keychain".equals(anchor.keyStore())) {
            if (!keychainUsable()) {
                throw new IOException("the audit signing key is in the OS keychain, which this process cannot open");
            }
            encoded = secrets.get(keychainEntry(anchor.chainId()));
        } else {
            Path file = dataDir.resolve(KEY_FOLDER).resolve(KEY_FILE);
            encoded = Optional.empty();
            if (Files.exists(file)) {
                String[] lines = Files.readString(file, StandardCharsets.US_ASCII).split("\n");
                if (lines.length >= 2 && lines[0].trim().equals(anchor.chainId())) {
                    encoded = Optional.of(lines[1]);
                }
            }
        }
        if (encoded.isEmpty()) {
            return Optional.empty();
        }
        PrivateKey key;
        try {
            key = AuditSignatures.decodePrivate(encoded.get());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // the private key must belong to the anchor's public key: a key file swapped for another is not used
        String probe = AuditChain.sha256Hex(anchor.chainId());
        if (!AuditSignatures.verify(AuditSignatures.decodePublic(anchor.publicKey()), probe, AuditSignatures.sign(key, probe))) {
            return Optional.empty();
        }
        return Optional.of(key);
    }

    /** Sets the anchor of a chain that is no longer this data directory's aside (kept for whoever checks it later). */
    public void retire(Anchor anchor) throws IOException {
        Path folder = folder();
        move(folder.resolve(ANCHOR), folder.resolve("chain-" + anchor.chainId() + ".json"));
        move(folder.resolve(CheckpointFile.NAME), folder.resolve("checkpoints-" + anchor.chainId() + ".jsonl"));
    }

    private static void move(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void write(Anchor anchor) throws IOException {
        Path folder = PrivateFiles.createDirectories(folder());
        Map<String, Object> json = new TreeMap<>();
        json.put("chain_id", anchor.chainId());
        json.put("public_key", anchor.publicKey());
        json.put("key_id", anchor.keyId());
        json.put("key_store", anchor.keyStore());
        json.put("retired_keys", anchor.retiredKeys().stream()
                .map(k -> Map.of("key_id", k.keyId(), "public_key", k.publicKey())).toList());
        Path tmp = folder.resolve(ANCHOR + ".new");
        Files.deleteIfExists(tmp);
        try (OutputStream out = PrivateFiles.newFile(tmp)) {
            out.write((Json.writePretty(json) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.move(tmp, folder.resolve(ANCHOR), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String keychainEntry(String chainId) {
        return "audit-signing-key-" + chainId;
    }
}
