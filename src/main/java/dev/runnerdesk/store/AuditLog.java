package dev.runnerdesk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditVerifier;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.wire.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The append-only, hash-chained audit trail. {@link #append} must run inside a write transaction: the
 * seq and the link to the previous hash are read and written under the same database lock, so the
 * chain stays gapless even with several processes on one file.
 */
public final class AuditLog {
    private static final String COLUMNS = "seq, event_type, timestamp, runner_id, session_id, actor, data, prev_hash, hash";

    public AuditEvent append(Connection c, EventDraft draft) throws SQLException {
        long seq = 1;
        String prevHash = AuditChain.GENESIS;
        try (PreparedStatement s = c.prepareStatement("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
             ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                seq = rs.getLong(1) + 1;
                prevHash = rs.getString(2);
            }
        }
        Instant at = AuditChain.normalize(draft.timestamp());
        String runnerId = draft.runnerId().orElse(null);
        String sessionId = draft.sessionId().orElse(null);
        // the data goes through a JSON round trip first so the hash is of exactly what will be read back, and is
        // stored in its RFC 8785 form: verification then hashes the stored text without parsing it
        Map<String, Object> data = readData(wellFormed(Json.write(draft.data())));
        String json = AuditChain.canonical(data);
        String hash = AuditChain.hash(prevHash, seq, draft.eventType(), at, runnerId, sessionId, draft.actor(), data);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO events (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
            s.setLong(1, seq);
            s.setString(2, draft.eventType());
            s.setLong(3, at.toEpochMilli());
            s.setString(4, runnerId);
            s.setString(5, sessionId);
            s.setString(6, draft.actor());
            s.setString(7, json);
            s.setString(8, prevHash);
            s.setString(9, hash);
            s.executeUpdate();
        }
        return new AuditEvent(seq, draft.eventType(), at, draft.runnerId(), draft.sessionId(), draft.actor(), data,
                prevHash, hash);
    }

    /** Events newest first, before {@code beforeSeq} when given, narrowed by the query's filters. */
    public EventPage page(Connection c, EventQuery query) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> args = new ArrayList<>();
        query.runnerId().ifPresent(id -> {
            where.append(" AND runner_id = ?");
            args.add(id);
        });
        if (!query.types().isEmpty()) {
            where.append(" AND event_type IN (").append("?,".repeat(query.types().size() - 1)).append("?)");
            args.addAll(query.types().stream().sorted().toList());
        }
        query.sessionId().ifPresent(id -> {
            where.append(" AND session_id = ?");
            args.add(id);
        });
        query.actor().ifPresent(a -> {
            where.append(" AND actor = ?");
            args.add(a);
        });
        query.from().ifPresent(t -> {
            where.append(" AND timestamp >= ?");
            args.add(t.toEpochMilli());
        });
        query.to().ifPresent(t -> {
            where.append(" AND timestamp < ?");
            args.add(t.toEpochMilli());
        });
        query.text().ifPresent(t -> {
            where.append(" AND instr(lower(event_type || ' ' || coalesce(runner_id, '') || ' ' || coalesce(session_id, '')"
                    + " || ' ' || actor || ' ' || data), ?) > 0");
            args.add(t.toLowerCase(Locale.ROOT));
        });
        long total;
        if (!query.isFiltered() && query.runnerId().isEmpty()) {
            total = lastSeq(c); // seqs are gapless from 1: no need to count a million rows
        } else {
            try (PreparedStatement s = prepare(c, "SELECT COUNT(*) FROM events" + where, args); ResultSet rs = s.executeQuery()) {
                total = rs.getLong(1);
            }
        }
        query.beforeSeq().ifPresent(before -> {
            where.append(" AND seq < ?");
            args.add(before);
        });
        args.add(query.limit());
        try (PreparedStatement s = prepare(c, "SELECT " + COLUMNS + " FROM events" + where + " ORDER BY seq DESC LIMIT ?", args)) {
            return new EventPage(readAll(s), total);
        }
    }

    /** Events after {@code afterSeq}, oldest first. */
    public List<AuditEvent> after(Connection c, Optional<String> runnerId, long afterSeq, int limit) throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(afterSeq);
        String filter = "";
        if (runnerId.isPresent()) {
            filter = " AND runner_id = ?";
            args.add(runnerId.get());
        }
        args.add(limit);
        try (PreparedStatement s = prepare(c, "SELECT " + COLUMNS + " FROM events WHERE seq > ?" + filter
                + " ORDER BY seq ASC LIMIT ?", args)) {
            return readAll(s);
        }
    }

    public long lastSeq(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM events"); ResultSet rs = s.executeQuery()) {
            return rs.getLong(1);
        }
    }

    /**
     * Events after {@code afterSeq}, oldest first, as the verifier needs them: the stored text is hashed as it is
     * (events stored in RFC 8785 form, as every event since signing began is), and parsed only where that does
     * not give the stored hash (older rows, or a changed one).
     */
    public List<AuditVerifier.Entry> entries(Connection c, long afterSeq, int limit) throws SQLException {
        List<AuditVerifier.Entry> entries = new ArrayList<>(limit);
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM events WHERE seq > ? ORDER BY seq ASC LIMIT ?")) {
            s.setLong(1, afterSeq);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(new StoredEntry(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
            }
        }
        return entries;
    }

    /** A stored row for the verifier. */
    private record StoredEntry(long seq, String eventType, Instant timestamp, String runnerId, String sessionId, String actor,
                               String data, String prevHash, String hash) implements AuditVerifier.Entry {
        @Override
        public String computeHash(boolean legacy) {
            if (!legacy) {
                String fast = AuditChain.hashWithCanonicalData(prevHash, seq, eventType, timestamp, runnerId, sessionId, actor, data);
                if (fast.equals(hash)) {
                    return fast;
                }
            }
            try {
                AuditEvent event = new AuditEvent(seq, eventType, timestamp, Optional.ofNullable(runnerId),
                        Optional.ofNullable(sessionId), actor, readData(data), prevHash, hash);
                return legacy ? AuditChain.legacyHash(event) : AuditChain.hashOf(event);
            } catch (SQLException unreadable) {
                return "unreadable data";
            }
        }
    }

    /** The newest event, if any. */
    public Optional<AuditEvent> lastEvent(Connection c) throws SQLException {
        List<AuditEvent> last = readAll(c.prepareStatement("SELECT " + COLUMNS + " FROM events ORDER BY seq DESC LIMIT 1"));
        return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0));
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            s.setObject(i + 1, args.get(i));
        }
        return s;
    }

    private static List<AuditEvent> readAll(PreparedStatement s) throws SQLException {
        List<AuditEvent> events = new ArrayList<>();
        try (s; ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                events.add(new AuditEvent(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)), rs.getString(6),
                        readData(rs.getString(7)), rs.getString(8), rs.getString(9)));
            }
        }
        return events;
    }

    /**
     * The text with each lone surrogate (half of a pair, e.g. where a long string was cut inside an emoji) replaced
     * by U+FFFD. Our canonical form escapes one as JSON.stringify does, but RFC 8785 (section 3.2.2.2) requires a
     * canonicalizer to refuse it, so an auditor's JCS library could not check an event that held one.
     */
    static String wellFormed(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, '\uFFFD');
            }
        }
        return out == null ? text : out.toString();
    }

    private static Map<String, Object> readData(String json) throws SQLException {
        try {
            return Json.readObject(json);
        } catch (JsonProcessingException e) {
            // a hand-edited row: keep the raw text so verification reports the seq instead of failing to read
            return Map.of("unreadable_data", json);
        }
    }
}
