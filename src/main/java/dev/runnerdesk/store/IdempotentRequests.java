package dev.runnerdesk.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;

/**
 * The answers {@code serve} gave to requests sent with an {@code Idempotency-Key}, kept {@link #KEPT} per caller and
 * key: a request that comes again with the same key gets the first answer again, and its action is never done twice.
 * A key is claimed before the action runs (a second request with it meanwhile is told it is in use), and the answer
 * is stored once it is known.
 */
public final class IdempotentRequests {
    /** How long an answer is kept; a key may be used again after that. */
    public static final Duration KEPT = Duration.ofHours(24);

    private final Database db;

    public IdempotentRequests(Database db) {
        this.db = db;
    }

    /** A stored answer: its HTTP status, content type and body. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    /** What a claim found. */
    public sealed interface Claim {
        /** The key is new (or its answer expired): the caller runs the action and then calls {@link #complete}. */
        record Fresh() implements Claim {
        }

        /** The first request with this key was answered: this is its answer. */
        record Replay(Answer answer) implements Claim {
        }

        /** The first request with this key is still running. */
        record InUse() implements Claim {
        }

        /** The key was used for another request (another method, path or body). */
        record Mismatch() implements Claim {
        }
    }

    /** Claims {@code key} of {@code principal} for the request whose fingerprint is {@code fingerprint}. */
    public Claim claim(String principal, String key, String fingerprint, Instant now) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM idempotent_requests WHERE created_at < ?")) {
                s.setLong(1, now.minus(KEPT).toEpochMilli());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT fingerprint, status, content_type, body FROM idempotent_requests"
                    + " WHERE principal = ? AND request_key = ?")) {
                s.setString(1, principal);
                s.setString(2, key);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        if (!rs.getString(1).equals(fingerprint)) {
                            return new Claim.Mismatch();
                        }
                        int status = rs.getInt(2);
                        return rs.wasNull() ? new Claim.InUse()
                                : new Claim.Replay(new Answer(status, rs.getString(3), rs.getBytes(4)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO idempotent_requests (principal, request_key, fingerprint,"
                    + " created_at) VALUES (?,?,?,?)")) {
                s.setString(1, principal);
                s.setString(2, key);
                s.setString(3, fingerprint);
                s.setLong(4, now.toEpochMilli());
                s.executeUpdate();
            }
            return new Claim.Fresh();
        });
    }

    /** Stores the answer to the claimed request; once stored, it stays (a second call changes nothing). */
    public void complete(String principal, String key, Answer answer) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE idempotent_requests SET status = ?, content_type = ?, body = ?"
                    + " WHERE principal = ? AND request_key = ? AND status IS NULL")) {
                s.setInt(1, answer.status());
                s.setString(2, answer.contentType());
                s.setBytes(3, answer.body());
                s.setString(4, principal);
                s.setString(5, key);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Forgets a claim whose request was refused before anything was done, so the key may be used again. */
    public void release(String principal, String key) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM idempotent_requests WHERE principal = ? AND request_key = ? AND status IS NULL")) {
                s.setString(1, principal);
                s.setString(2, key);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Gives every request still claimed but unanswered — its server stopped while it ran — {@code unknown} as its
     * answer: whether its action happened cannot be known, and it must not run a second time. Returns how many.
     */
    public int settleInterrupted(Answer unknown) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE idempotent_requests SET status = ?, content_type = ?, body = ?"
                    + " WHERE status IS NULL")) {
                s.setInt(1, unknown.status());
                s.setString(2, unknown.contentType());
                s.setBytes(3, unknown.body());
                return s.executeUpdate();
            }
        });
    }
}
