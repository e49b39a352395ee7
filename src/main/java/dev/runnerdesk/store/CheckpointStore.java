package dev.runnerdesk.store;

import dev.runnerdesk.core.AuditCheckpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The signed checkpoints of the audit trail in the database (append-only, like the events). */
public final class CheckpointStore {
    private static final String COLUMNS = "number, chain_id, seq, event_hash, time, prev_checkpoint_hash, key_id, signature";

    public void append(Connection c, AuditCheckpoint cp) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO checkpoints (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)")) {
            s.setLong(1, cp.number());
            s.setString(2, cp.chainId());
            s.setLong(3, cp.seq());
            s.setString(4, cp.eventHash());
            s.setLong(5, cp.time().toEpochMilli());
            s.setString(6, cp.prevCheckpointHash());
            s.setString(7, cp.keyId());
            s.setString(8, cp.signature());
            s.executeUpdate();
        }
    }

    public Optional<AuditCheckpoint> last(Connection c) throws SQLException {
        List<AuditCheckpoint> last = query(c, "SELECT " + COLUMNS + " FROM checkpoints ORDER BY number DESC LIMIT 1");
        return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0));
    }

    /** Checkpoints numbered after {@code afterNumber}, in order, at most {@code limit}. */
    public List<AuditCheckpoint> after(Connection c, long afterNumber, int limit) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM checkpoints WHERE number > ? ORDER BY number LIMIT ?", afterNumber, limit);
    }

    /** Every checkpoint, in order (one per thousand events at most: a million events have about a thousand). */
    public List<AuditCheckpoint> all(Connection c) throws SQLException {
        return after(c, 0, Integer.MAX_VALUE);
    }

    private static List<AuditCheckpoint> query(Connection c, String sql, Object... args) throws SQLException {
        List<AuditCheckpoint> found = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(new AuditCheckpoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return found;
    }
}
