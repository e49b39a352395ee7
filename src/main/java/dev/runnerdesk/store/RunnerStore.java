package dev.runnerdesk.store;

import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.SessionState;
import dev.runnerdesk.core.ToolProfile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runners and their sessions. Every method works inside the caller's transaction. */
public final class RunnerStore {
    private static final String RUNNER_COLUMNS = "runner_id, state, provider_type, tool_profile, ttl_seconds, "
            + "created_at, expires_at, image_ref, provider_ref, error, created_by";
    private static final String SESSION_COLUMNS = "session_id, runner_id, state, started_at, expires_at, stopped_at, stop_reason";

    public void insert(Connection c, Runner r, String createdBy) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO runners (" + RUNNER_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, r.runnerId());
            s.setString(2, r.state().wireName());
            s.setString(3, r.providerType().wireName());
            s.setString(4, r.toolProfile().wireName());
            s.setInt(5, r.ttlSeconds());
            s.setLong(6, r.createdAt().toEpochMilli());
            s.setLong(7, r.expiresAt().toEpochMilli());
            setNullable(s, 8, r.imageRef().orElse(null));
            s.setNull(9, Types.VARCHAR);
            setNullable(s, 10, r.error().orElse(null));
            s.setString(11, createdBy);
            s.executeUpdate();
        }
    }

    public void updateState(Connection c, String runnerId, RunnerState state, Optional<String> error) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE runners SET state = ?, error = COALESCE(?, error) WHERE runner_id = ?")) {
            s.setString(1, state.wireName());
            setNullable(s, 2, error.orElse(null));
            s.setString(3, runnerId);
            s.executeUpdate();
        }
    }

    public void setProviderRef(Connection c, String runnerId, String providerRef) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE runners SET provider_ref = ? WHERE runner_id = ?")) {
            s.setString(1, providerRef);
            s.setString(2, runnerId);
            s.executeUpdate();
        }
    }

    public void setExpiresAt(Connection c, String runnerId, Instant expiresAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE runners SET expires_at = ? WHERE runner_id = ?")) {
            s.setLong(1, expiresAt.toEpochMilli());
            s.setString(2, runnerId);
            s.executeUpdate();
        }
    }

    public Optional<StoredRunner> find(Connection c, String runnerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + RUNNER_COLUMNS + " FROM runners WHERE runner_id = ?")) {
            s.setString(1, runnerId);
            List<StoredRunner> found = readRunners(c, s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    public RunnerPage list(Connection c, RunnerQuery query) throws SQLException {
        String where = query.state().isPresent() ? " WHERE state = ?" : "";
        long total;
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM runners" + where)) {
            if (query.state().isPresent()) {
                s.setString(1, query.state().get().wireName());
            }
            try (ResultSet rs = s.executeQuery()) {
                total = rs.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT " + RUNNER_COLUMNS + " FROM runners" + where
                + " ORDER BY created_at DESC, runner_id DESC LIMIT ? OFFSET ?")) {
            int i = 1;
            if (query.state().isPresent()) {
                s.setString(i++, query.state().get().wireName());
            }
            s.setInt(i++, query.limit());
            s.setInt(i, query.offset());
            List<Runner> runners = readRunners(c, s).stream().map(StoredRunner::runner).toList();
            return new RunnerPage(runners, total, query.limit(), query.offset());
        }
    }

    /** Runners still alive whose TTL has run out at {@code now}. */
    public List<String> expiredRunnerIds(Connection c, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT runner_id FROM runners WHERE state IN ('provisioning','ready','running') AND expires_at <= ?")) {
            s.setLong(1, now.toEpochMilli());
            return readStrings(s);
        }
    }

    /** Sandbox refs of the runners of {@code providerType} still alive, by runner id. */
    public Map<String, String> liveSandboxes(Connection c, ProviderType providerType)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT runner_id, provider_ref FROM runners WHERE state IN"
                + " ('provisioning','ready','running') AND provider_type = ? AND provider_ref IS NOT NULL")) {
            s.setString(1, providerType.wireName());
            Map<String, String> refs = new LinkedHashMap<>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    refs.put(rs.getString(1), rs.getString(2));
                }
            }
            return refs;
        }
    }

    public void insertSession(Connection c, Session session) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sessions (" + SESSION_COLUMNS + ") VALUES (?,?,?,?,?,?,?)")) {
            s.setString(1, session.sessionId());
            s.setString(2, session.runnerId());
            s.setString(3, session.state().wireName());
            s.setLong(4, session.startedAt().toEpochMilli());
            s.setLong(5, session.expiresAt().toEpochMilli());
            s.setNull(6, Types.INTEGER);
            s.setNull(7, Types.VARCHAR);
            s.executeUpdate();
        }
    }

    public void stopSession(Connection c, String sessionId, Instant at, String reason) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE sessions SET state = 'stopped', stopped_at = ?, stop_reason = ? WHERE session_id = ? AND state = 'active'")) {
            s.setLong(1, at.toEpochMilli());
            s.setString(2, reason);
            s.setString(3, sessionId);
            s.executeUpdate();
        }
    }

    public Optional<Session> findSession(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SESSION_COLUMNS + " FROM sessions WHERE session_id = ?")) {
            s.setString(1, sessionId);
            List<Session> found = readSessions(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    public Optional<Session> activeSession(Connection c, String runnerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SESSION_COLUMNS
                + " FROM sessions WHERE runner_id = ? AND state = 'active'")) {
            s.setString(1, runnerId);
            List<Session> found = readSessions(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** Active sessions whose own TTL has run out at {@code now}. */
    public List<Session> expiredSessions(Connection c, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SESSION_COLUMNS
                + " FROM sessions WHERE state = 'active' AND expires_at <= ?")) {
            s.setLong(1, now.toEpochMilli());
            return readSessions(s);
        }
    }

    private List<StoredRunner> readRunners(Connection c, PreparedStatement s) throws SQLException {
        List<StoredRunner> rows = new ArrayList<>();
        List<String> withSession = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                RunnerState state = RunnerState.fromWire(rs.getString(2));
                Runner runner = new Runner(rs.getString(1), state, ProviderType.fromWire(rs.getString(3)),
                        ToolProfile.fromWire(rs.getString(4)), rs.getInt(5), Instant.ofEpochMilli(rs.getLong(6)),
                        Instant.ofEpochMilli(rs.getLong(7)), Optional.ofNullable(rs.getString(8)), Optional.empty(),
                        Optional.ofNullable(rs.getString(10)));
                rows.add(new StoredRunner(runner, Optional.ofNullable(rs.getString(9)), rs.getString(11)));
                if (state == RunnerState.RUNNING) {
                    withSession.add(runner.runnerId());
                }
            }
        }
        if (withSession.isEmpty()) {
            return rows;
        }
        List<StoredRunner> result = new ArrayList<>(rows.size());
        for (StoredRunner row : rows) {
            Runner r = row.runner();
            if (r.state() == RunnerState.RUNNING) {
                Optional<Session> active = activeSession(c, r.runnerId());
                r = new Runner(r.runnerId(), r.state(), r.providerType(), r.toolProfile(), r.ttlSeconds(), r.createdAt(),
                        r.expiresAt(), r.imageRef(), active, r.error());
                row = new StoredRunner(r, row.providerRef(), row.createdBy());
            }
            result.add(row);
        }
        return result;
    }

    private static List<Session> readSessions(PreparedStatement s) throws SQLException {
        List<Session> sessions = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                long stopped = rs.getLong(6);
                Optional<Instant> stoppedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(stopped));
                sessions.add(new Session(rs.getString(1), rs.getString(2), SessionState.fromWire(rs.getString(3)),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)), stoppedAt,
                        Optional.ofNullable(rs.getString(7))));
            }
        }
        return sessions;
    }

    private static List<String> readStrings(PreparedStatement s) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }
}
