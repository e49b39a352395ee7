package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.provider.local.LocalProvider;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which terminal a session's tab gets, without the window. */
class TerminalModeTest {
    @TempDir
    Path dataDir;

    @Test
    void aShellOnlyWhereTheServiceReportsOne() {
        List<ProviderInfo> providers = List.of(ProviderInfo.available(ProviderType.LOCAL, true),
                ProviderInfo.available(ProviderType.FAKE, false), ProviderInfo.unavailable(ProviderType.E2B, "no key"));
        assertEquals(TerminalMode.SHELL, TerminalMode.of(providers, ProviderType.LOCAL));
        assertEquals(TerminalMode.EXEC_CONSOLE, TerminalMode.of(providers, ProviderType.FAKE));
        assertEquals(TerminalMode.EXEC_CONSOLE, TerminalMode.of(providers, ProviderType.E2B));
        assertEquals(TerminalMode.EXEC_CONSOLE, TerminalMode.of(providers, ProviderType.CLAUDE_COMPUTER_USE), "not listed");
    }

    @Test
    void anUnavailableShellFallsBackToTheConsoleWhereAnEndedSessionGivesUpAndAnythingElseRetries() {
        assertEquals(TerminalMode.AfterOpenFailure.FALL_BACK_TO_CONSOLE,
                TerminalMode.afterOpenFailure(new RunnerException.Unavailable("no terminal route")));
        assertEquals(TerminalMode.AfterOpenFailure.GIVE_UP, TerminalMode.afterOpenFailure(new RunnerException.Conflict("stopped")));
        assertEquals(TerminalMode.AfterOpenFailure.GIVE_UP, TerminalMode.afterOpenFailure(new RunnerException.Forbidden("viewer")));
        assertEquals(TerminalMode.AfterOpenFailure.RETRY, TerminalMode.afterOpenFailure(new IllegalStateException("pty died")));
    }

    @Test
    void throughServeALocalRunnersTabIsTheExecConsole() throws Exception {
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(),
                List.of(new FakeProvider(), new LocalProvider(dataDir)));
             GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
             GatewayRunnerService gateway = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(),
                     runtime.apiKeys().create("ui", Role.ADMIN), false))) {
            Sandboxes.require(gateway);
            assertEquals(TerminalMode.EXEC_CONSOLE, TerminalMode.of(gateway.providers(), ProviderType.LOCAL));
            Runner r = gateway.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.LOCKED, 600));
            Session s = gateway.startSession(r.runnerId(), Optional.empty());
            RunnerException e = assertThrows(RunnerException.class,
                    () -> gateway.openTerminal(r.runnerId(), s.sessionId(), new TerminalSize(80, 24), new TerminalScreen()));
            assertEquals(TerminalMode.AfterOpenFailure.FALL_BACK_TO_CONSOLE, TerminalMode.afterOpenFailure(e));
        }
    }
}
