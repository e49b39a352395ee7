package dev.runnerdesk.embedded;

import dev.runnerdesk.contract.EmbeddedRuntimeContract;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRunnerServiceContractTest extends EmbeddedRuntimeContract {
    @Override
    protected List<SandboxProvider> providers() {
        return List.of(new FakeProvider());
    }

    /** Terminals are embedded only (the gateway API has no route for them), so this part of the auditor's contract is here. */
    @Test
    void anAuditorCannotOpenATerminalAndTheDenialIsAudited() {
        Runner r = admin().create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        RunnerException e = assertThrows(RunnerException.Forbidden.class,
                () -> as(Role.AUDITOR).openTerminal(r.runnerId(), s.sessionId(), new TerminalSize(80, 24), new TerminalScreen()));
        assertTrue(e.getMessage().contains("auditor") && e.getMessage().contains("operator or admin"), e.getMessage());
        AuditEvent denied = admin().events(EventQuery.ofRunner(r.runnerId(), 1)).events().get(0);
        assertEquals(EventTypes.AUTH_DENIED, denied.eventType());
        assertEquals("open terminals", denied.data().get("action"));
        assertEquals("auditor", denied.data().get("role"));
        assertEquals("operate", denied.data().get("required_permission"));
    }
}
