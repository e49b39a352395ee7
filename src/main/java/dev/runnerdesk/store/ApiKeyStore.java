package dev.runnerdesk.store;

import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException.Conflict;
import dev.runnerdesk.core.RunnerException.InvalidRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Gateway API keys. Only a key's SHA-256 is stored; the key itself is shown once, when it is made. */
public final class ApiKeyStore {
    public static final String PREFIX = "cm_sk_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored key as people see it: never the key, only a short fingerprint of its hash. */
    public record KeyInfo(String name, Role role, Instant createdAt, String fingerprint) {
    }

    /** Makes a new key; the returned string is the only copy of it. */
    public String create(Connection c, String name, Role role, Instant now) throws SQLException {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        String key = PREFIX + HexFormat.of().formatHex(bytes);
        register(c, key, name, role, now);
        return key;
    }

    /** Registers a key someone chose (e.g. the seed's {@code cm_sk_your_key_here}); re-registering updates its role. */
    public void register(Connection c, String key, String name, Role role, Instant now) throws SQLException {
        checkName(name);
        String hash = hash(key);
        try (PreparedStatement s = c.prepareStatement(
                "SELECT key_hash FROM api_keys WHERE name = ? AND revoked_at IS NULL AND key_hash <> ?")) {
            s.setString(1, name);
            s.setString(2, hash);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    throw new Conflict("an API key named " + name + " exists already; choose another name or revoke it first");
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO api_keys (key_hash, name, role, created_at) VALUES (?,?,?,?) "
                + "ON CONFLICT(key_hash) DO UPDATE SET name = excluded.name, role = excluded.role, revoked_at = NULL")) {
            s.setString(1, hash);
            s.setString(2, name);
            s.setString(3, role.wireName());
            s.setLong(4, now.toEpochMilli());
            s.executeUpdate();
        }
    }

    /** The caller a key stands for, if it is known and not revoked. */
    public Optional<Principal> find(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name, role FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")) {
            s.setString(1, hash(key));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Principal(rs.getString(1), Role.fromWire(rs.getString(2)))) : Optional.empty();
            }
        }
    }

    public List<KeyInfo> list(Connection c) throws SQLException {
        List<KeyInfo> keys = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name, role, created_at, key_hash FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at, name");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                keys.add(new KeyInfo(rs.getString(1), Role.fromWire(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getString(4).substring(0, 8)));
            }
        }
        return keys;
    }

    /** Revokes the key of that name; false if there was none. */
    public boolean revoke(Connection c, String name, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
            s.setLong(1, now.toEpochMilli());
            s.setString(2, name);
            return s.executeUpdate() > 0;
        }
    }

    /** The short, non-secret name of a key for logs and audit events. */
    public static String fingerprint(String key) {
        return hash(key).substring(0, 8);
    }

    /** The SHA-256 of a key, as stored: what a key is looked up by. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequest("name", "a key name is 1–64 letters, digits or . _ @ -");
        }
    }
}
