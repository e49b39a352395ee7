package dev.runnerdesk.server;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 50 clients at once through `serve`: no error, and exactly the audit trail that should result, verified. */
class ConcurrentClientsTest {
    private static final int CLIENTS = 50;
    private static final int EXECS = 10;
    /** created, ready, session.started, 10 × command.executed, session.stopped, runner.terminated */
    private static final int EVENTS_PER_CLIENT = 2 + 1 + EXECS + 2;

    @TempDir
    Path dataDir;

    @Test
    void fiftyClientsEachRunAWholeLifecycle() throws Exception {
        try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir);
             GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start()) {
            String key = runtime.apiKeys().create("load", Role.ADMIN);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                runs.add(pool.submit(() -> {
                    try (RunnerService client = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(), key, false))) {
                        Runner r = client.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
                        Session s = client.startSession(r.runnerId(), Optional.empty());
                        for (int n = 0; n < EXECS; n++) {
                            assertEquals("fake output", client.exec(r.runnerId(), s.sessionId(),
                                    new ExecRequest(List.of("echo", Integer.toString(n)))).stdout());
                        }
                        client.terminate(r.runnerId());
                        return r.runnerId();
                    }
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> run : runs) {
                ids.add(run.get(120, TimeUnit.SECONDS)); // rethrows any client's error
            }
            pool.shutdown();
            assertEquals(CLIENTS, ids.stream().distinct().count());

            long total = runtime.serviceFor(Principal.localUser()).events(EventQuery.all(1)).total();
            assertEquals(CLIENTS * EVENTS_PER_CLIENT, total);
            ChainVerification chain = runtime.verifyAuditChain();
            assertEquals(new ChainVerification.Verified(1, total, total), chain);
            for (String id : ids) {
                assertEquals(EVENTS_PER_CLIENT, runtime.serviceFor(Principal.localUser())
                        .events(EventQuery.ofRunner(id, 1)).total());
            }
        }
    }
}
