package dev.runnerdesk.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Ordered schema migrations; {@code PRAGMA user_version} is the number applied so far. */
final class Migrations {
    /** Each step is a list of statements, applied in one transaction. */
    static final List<List<String>> STEPS = List.of(
            List.of( // 1: the first schema
                    """
                    CREATE TABLE runners (
                      runner_id     TEXT PRIMARY KEY,
                      state         TEXT NOT NULL,
                      provider_type TEXT NOT NULL,
                      tool_profile  TEXT NOT NULL,
                      ttl_seconds   INTEGER NOT NULL,
                      created_at    INTEGER NOT NULL,
                      expires_at    INTEGER NOT NULL,
                      image_ref     TEXT,
                      provider_ref  TEXT,
                      error         TEXT,
                      created_by    TEXT NOT NULL
                    )""",
                    "CREATE INDEX runners_by_created ON runners(created_at DESC, runner_id DESC)",
                    "CREATE INDEX runners_by_state ON runners(state, created_at DESC)",
                    """
                    CREATE TABLE sessions (
                      session_id  TEXT PRIMARY KEY,
                      runner_id   TEXT NOT NULL REFERENCES runners(runner_id),
                      state       TEXT NOT NULL,
                      started_at  INTEGER NOT NULL,
                      expires_at  INTEGER NOT NULL,
                      stopped_at  INTEGER,
                      stop_reason TEXT
                    )""",
                    "CREATE UNIQUE INDEX one_active_session ON sessions(runner_id) WHERE state = 'active'",
                    "CREATE INDEX sessions_by_runner ON sessions(runner_id, started_at)",
                    """
                    CREATE TABLE events (
                      seq        INTEGER PRIMARY KEY,
                      event_type TEXT NOT NULL,
                      timestamp  INTEGER NOT NULL,
                      runner_id  TEXT,
                      session_id TEXT,
                      actor      TEXT NOT NULL,
                      data       TEXT NOT NULL,
                      prev_hash  TEXT NOT NULL,
                      hash       TEXT NOT NULL
                    )""",
                    "CREATE INDEX events_by_runner ON events(runner_id, seq)",
                    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
                            + " BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
                    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
                            + " BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
                    "CREATE TABLE policies (profile TEXT PRIMARY KEY, body TEXT NOT NULL)",
                    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                    """
                    CREATE TABLE api_keys (
                      key_hash   TEXT PRIMARY KEY,
                      name       TEXT NOT NULL,
                      role       TEXT NOT NULL,
                      created_at INTEGER NOT NULL,
                      revoked_at INTEGER
                    )"""),
            List.of( // 2: the timeline's filters by type, session, actor and time stay index lookups at a million events
                    "CREATE INDEX events_by_type ON events(event_type, seq)",
                    "CREATE INDEX events_by_session ON events(session_id, seq)",
                    "CREATE INDEX events_by_actor ON events(actor, seq)",
                    "CREATE INDEX events_by_time ON events(timestamp)"),
            List.of( // 3: signed checkpoints of the audit chain, append-only like the events
                    """
                    CREATE TABLE checkpoints (
                      number               INTEGER PRIMARY KEY,
                      chain_id             TEXT NOT NULL,
                      seq                  INTEGER NOT NULL,
                      event_hash           TEXT NOT NULL,
                      time                 INTEGER NOT NULL,
                      prev_checkpoint_hash TEXT NOT NULL,
                      key_id               TEXT NOT NULL,
                      signature            TEXT NOT NULL
                    )""",
                    "CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints"
                            + " BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END",
                    "CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints"
                            + " BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END"),
            List.of( // 4: serve's answers to requests sent with an Idempotency-Key, kept a day
                    """
                    CREATE TABLE idempotent_requests (
                      principal    TEXT NOT NULL,
                      request_key  TEXT NOT NULL,
                      fingerprint  TEXT NOT NULL,
                      created_at   INTEGER NOT NULL,
                      status       INTEGER,
                      content_type TEXT,
                      body         BLOB,
                      PRIMARY KEY (principal, request_key)
                    )""",
                    "CREATE INDEX idempotent_requests_by_age ON idempotent_requests(created_at)"));

    private Migrations() {
    }

    static void apply(Database db) {
        db.write(c -> {
            int current;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                current = rs.getInt(1);
            }
            if (current > STEPS.size()) {
                throw new SQLException("the data file was written by a newer RunnerDesk (schema " + current
                        + ", this version knows " + STEPS.size() + "); update RunnerDesk");
            }
            for (int step = current; step < STEPS.size(); step++) {
                try (Statement s = c.createStatement()) {
                    for (String sql : STEPS.get(step)) {
                        s.execute(sql);
                    }
                    s.execute("PRAGMA user_version = " + (step + 1));
                }
            }
            return null;
        });
    }
}
