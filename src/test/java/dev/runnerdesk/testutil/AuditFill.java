package dev.runnerdesk.testutil;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.store.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

/**
 * Fills a data directory's audit trail straight through JDBC, with correct seqs and hashes, far faster than
 * service calls: for the tests and benchmarks that need tens of thousands to a million stored events. Appends
 * after what is there, so events written by the service later still chain on.
 */
public final class AuditFill {
    /** One event to append; {@code null} ids are absent. */
    public record Row(String type, Instant at, String runnerId, String sessionId, String actor, Map<String, Object> data) {
    }

    @FunctionalInterface
    public interface Rows {
        Row row(int index);
    }

    private AuditFill() {
    }

    public static Connection open(Path dataDir) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME));
    }

    /** Appends {@code count} events made by {@code rows}; returns the seq of the last one. */
    public static long append(Path dataDir, int count, Rows rows) throws SQLException {
        try (Connection c = open(dataDir)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                // the write lock before reading the last seq: the app's runtime writes to the same file
                s.execute("BEGIN IMMEDIATE");
            }
            long seq = 0;
            String prev = AuditChain.GENESIS;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")) {
                if (rs.next()) {
                    seq = rs.getLong(1);
                    prev = rs.getString(2);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (seq, event_type, timestamp, runner_id, "
                    + "session_id, actor, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < count; i++) {
                    Row r = rows.row(i);
                    seq++;
                    Instant at = AuditChain.normalize(r.at());
                    String hash = AuditChain.hash(prev, seq, r.type(), at, r.runnerId(), r.sessionId(), r.actor(), r.data());
                    StringBuilder json = new StringBuilder();
                    AuditChain.writeCanonical(json, r.data());
                    insert.setLong(1, seq);
                    insert.setString(2, r.type());
                    insert.setLong(3, at.toEpochMilli());
                    insert.setString(4, r.runnerId());
                    insert.setString(5, r.sessionId());
                    insert.setString(6, r.actor());
                    insert.setString(7, json.toString());
                    insert.setString(8, prev);
                    insert.setString(9, hash);
                    insert.addBatch();
                    prev = hash;
                    if (i % 5000 == 4999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
            return seq;
        }
    }

    /** Changes a stored event behind the log's back (the way tampering would), for the chain badge. */
    public static void tamper(Path dataDir, long seq, String newActor) throws SQLException {
        try (Connection c = open(dataDir); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS events_no_update");
            s.execute("UPDATE events SET actor = '" + newActor + "' WHERE seq = " + seq);
        }
    }

    /** Deletes every event after {@code seq} behind the log's back (the newest ones, as a truncation would). */
    public static void truncateAfter(Path dataDir, long seq) throws SQLException {
        try (Connection c = open(dataDir); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS events_no_delete");
            s.execute("DELETE FROM events WHERE seq > " + seq);
        }
    }
}
