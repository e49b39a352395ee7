package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TtlReaperTest {
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private EmbeddedRuntime runtime;
    private RunnerService service;

    @BeforeEach
    void open() {
        runtime = new EmbeddedRuntime(dataDir, clock, List.of(new FakeProvider()));
        service = runtime.serviceFor(Principal.localUser());
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void aRunnerPastItsTtlIsExpiredWithItsSessionStoppedBySystem() {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 120));
        Session s = service.startSession(r.runnerId(), Optional.empty());
        clock.advance(Duration.ofSeconds(119));
        assertEquals(0, runtime.reapExpired());
        assertEquals(RunnerState.RUNNING, service.get(r.runnerId()).state());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, runtime.reapExpired());
        Runner expired = service.get(r.runnerId());
        assertEquals(RunnerState.EXPIRED, expired.state());
        assertTrue(expired.activeSession().isEmpty());
        assertThrows(RunnerException.Conflict.class,
                () -> service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo"))));

        List<AuditEvent> newest = service.events(EventQuery.ofRunner(r.runnerId(), 2)).events();
        assertEquals(EventTypes.RUNNER_EXPIRED, newest.get(0).eventType());
        assertEquals("system", newest.get(0).actor());
        assertEquals(EventTypes.SESSION_STOPPED, newest.get(1).eventType());
        assertEquals("runner_expired", newest.get(1).data().get("reason"));
        assertEquals(0, runtime.reapExpired(), "an expired runner is reaped once");
    }

    @Test
    void aSessionPastItsOwnTtlStopsAndTheRunnerIsReadyAgain() {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
        Session s = service.startSession(r.runnerId(), Optional.of(60));
        clock.advance(Duration.ofSeconds(61));
        assertEquals(1, runtime.reapExpired());
        Runner ready = service.get(r.runnerId());
        assertEquals(RunnerState.READY, ready.state());
        AuditEvent stopped = service.events(EventQuery.ofRunner(r.runnerId(), 1)).events().get(0);
        assertEquals(EventTypes.SESSION_STOPPED, stopped.eventType());
        assertEquals(Optional.of(s.sessionId()), stopped.sessionId());
        assertEquals("session_ttl_expired", stopped.data().get("reason"));
        assertEquals(RunnerState.RUNNING, runtime.serviceFor(Principal.localUser())
                .startSession(r.runnerId(), Optional.empty()) != null ? service.get(r.runnerId()).state() : null);
    }

    @Test
    void aTtlOverrideLongerThanTheRunnerKeepsTheRunnerAlive() {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 60));
        service.startSession(r.runnerId(), Optional.of(600));
        clock.advance(Duration.ofSeconds(300));
        assertEquals(0, runtime.reapExpired());
        assertEquals(RunnerState.RUNNING, service.get(r.runnerId()).state());
        clock.advance(Duration.ofSeconds(300));
        assertEquals(1, runtime.reapExpired());
        assertEquals(RunnerState.EXPIRED, service.get(r.runnerId()).state());
    }

    @Test
    void theTtlCountdownFollowsTheClock() {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        clock.advance(Duration.ofSeconds(100));
        assertEquals(Duration.ofSeconds(500), service.get(r.runnerId()).remaining(clock.instant()));
    }
}
