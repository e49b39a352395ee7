package dev.runnerdesk.embedded;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.store.StoredRunner;

import java.util.Map;
import java.util.Optional;

/**
 * Ends what outlived its time: runners whose TTL ran out become {@code expired} (their sandbox freed), sessions whose
 * own TTL ran out are stopped (their runner back to {@code ready}). Each is checked again inside its transaction, so
 * a runner ended meanwhile is left alone.
 */
final class TtlReaper {
    private final EmbeddedRuntime rt;

    TtlReaper(EmbeddedRuntime rt) {
        this.rt = rt;
    }

    /** Returns how many runners and sessions were ended. */
    int reapExpired() {
        int ended = 0;
        for (String runnerId : rt.db.read(c -> rt.runners.expiredRunnerIds(c, rt.now()))) {
            Optional<String> ref = rt.write(tx -> {
                Optional<StoredRunner> found = rt.runners.find(tx.c, runnerId);
                if (found.isEmpty() || found.get().runner().state().isFinal()
                        || found.get().runner().expiresAt().isAfter(rt.now())) {
                    return Optional.<String>empty();
                }
                rt.endActiveSession(tx, runnerId, "runner_expired", Principal.system());
                rt.runners.updateState(tx.c, runnerId, RunnerState.EXPIRED, Optional.of("TTL ran out"));
                tx.event(EventTypes.RUNNER_EXPIRED, runnerId, null, Principal.system(),
                        Map.of("ttl_seconds", found.get().runner().ttlSeconds()));
                return Optional.of(found.get().providerRef().orElse(""));
            });
            if (ref.isPresent()) {
                ended++;
                rt.destroyQuietly(rt.db.read(c -> rt.runners.find(c, runnerId)).orElseThrow());
            }
        }
        for (Session session : rt.db.read(c -> rt.runners.expiredSessions(c, rt.now()))) {
            boolean stopped = rt.write(tx -> {
                Optional<Session> current = rt.runners.findSession(tx.c, session.sessionId());
                if (current.isEmpty() || !current.get().isActive()) {
                    return false;
                }
                rt.endActiveSession(tx, session.runnerId(), "session_ttl_expired", Principal.system());
                rt.runners.updateState(tx.c, session.runnerId(), RunnerState.READY, Optional.empty());
                return true;
            });
            ended += stopped ? 1 : 0;
        }
        return ended;
    }
}
