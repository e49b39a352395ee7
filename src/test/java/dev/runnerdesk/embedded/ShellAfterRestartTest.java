package dev.runnerdesk.embedded;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's shell does not outlive the runtime; the shell opened after a restart says it is a new one. */
@Timeout(120)
class ShellAfterRestartTest {
    @TempDir
    Path temp;

    private static Terminal open(RunnerService service, Session session) {
        return service.openTerminal(session.runnerId(), session.sessionId(), new TerminalSize(80, 24), new TerminalScreen());
    }

    @Test
    void theFirstShellAfterARestartReplacesTheOneThatEndedAndLaterOnesDoNot() {
        Path data = temp.resolve("data");
        Session session;
        try (EmbeddedRuntime first = EmbeddedRuntimes.open(data)) {
            RunnerService service = first.serviceFor(Principal.localUser());
            Sandboxes.require(service);
            Runner runner = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 600));
            session = service.startSession(runner.runnerId(), Optional.empty());
            Terminal shell = open(service, session);
            assertFalse(shell.replacesEndedShell(), "the session's first shell replaces nothing");
            Terminal second = open(service, session);
            assertFalse(second.replacesEndedShell(), "a second shell beside a live one of this run replaces nothing");
        }
        try (EmbeddedRuntime restarted = EmbeddedRuntimes.open(data)) {
            RunnerService service = restarted.serviceFor(Principal.localUser());
            Terminal fresh = open(service, session);
            assertTrue(fresh.replacesEndedShell(), "the shells of the last run ended when it closed; this one is new");
            fresh.close();
            assertFalse(open(service, session).replacesEndedShell(), "a shell this run opened and closed is not a restart");
        }
    }
}
