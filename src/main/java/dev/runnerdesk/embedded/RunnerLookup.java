package dev.runnerdesk.embedded;

import dev.runnerdesk.core.IdFormat;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException.Conflict;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException.NotFound;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.store.StoredRunner;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Finding a runner and its sessions by id, with the errors the contract names for a missing, wrong or ended one. */
final class RunnerLookup {
    private final EmbeddedRuntime rt;

    RunnerLookup(EmbeddedRuntime rt) {
        this.rt = rt;
    }

    StoredRunner runner(Connection c, String runnerId) throws SQLException {
        if (runnerId == null || runnerId.isBlank()) {
            throw new InvalidRequest("runner_id", "runner_id is required");
        }
        IdFormat.check("runner_id", runnerId);
        return rt.runners.find(c, runnerId).orElseThrow(() -> new NotFound("runner " + runnerId + " not found"));
    }

    Session session(Connection c, Runner runner, String sessionId) throws SQLException {
        if (sessionId == null || sessionId.isBlank()) {
            throw new InvalidRequest("session_id", "session_id is required");
        }
        IdFormat.check("session_id", sessionId);
        Optional<Session> session = rt.runners.findSession(c, sessionId);
        if (session.isEmpty() || !session.get().runnerId().equals(runner.runnerId())) {
            throw new NotFound("session " + sessionId + " not found on runner " + runner.runnerId());
        }
        return session.get();
    }

    /** The session, active and within its and its runner's time (the reaper may not have ended it yet). */
    Session activeSession(Connection c, Runner runner, String sessionId) throws SQLException {
        Session session = session(c, runner, sessionId);
        if (!session.isActive()) {
            throw new Conflict("session " + sessionId + " is stopped (" + session.stopReason().orElse("stopped")
                    + "); start a new session to run commands");
        }
        if (!deadline(runner, session).isAfter(rt.now())) {
            throw new Conflict("session " + sessionId + " ran out of time (its TTL or its runner's has passed);"
                    + " start a new session to run commands");
        }
        return session;
    }

    /** When the session must end: its own TTL, or its runner's if that comes first. */
    static Instant deadline(Runner runner, Session session) {
        Instant sessionEnds = session.expiresAt() == null ? Instant.MAX : session.expiresAt();
        Instant runnerEnds = runner.expiresAt() == null ? Instant.MAX : runner.expiresAt();
        return sessionEnds.isBefore(runnerEnds) ? sessionEnds : runnerEnds;
    }
}
