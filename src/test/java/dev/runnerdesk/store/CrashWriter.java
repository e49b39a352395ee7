package dev.runnerdesk.store;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A process for {@link CrashDurabilityTest} to kill: writes forever, printing each seq a call reported written. */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        EmbeddedRuntime runtime = EmbeddedRuntimes.open(Path.of(args[0]));
        RunnerService service = runtime.serviceFor(Principal.localUser());
        while (true) {
            Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            Session s = service.startSession(r.runnerId(), Optional.empty());
            service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "durable")));
            System.out.println("written " + service.events(EventQuery.all(1)).events().get(0).seq());
            System.out.flush();
        }
    }
}
