package dev.runnerdesk.gateway;

import dev.runnerdesk.contract.RunnerServiceContract;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.provider.local.LocalProvider;
import dev.runnerdesk.server.GatewayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The same contract, through the gateway client, against a real `serve` on a loopback port. */
class GatewayRunnerServiceContractTest extends RunnerServiceContract {
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private final Map<Role, RunnerService> clients = new EnumMap<>(Role.class);
    private final List<RunnerService> opened = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        // with the local provider too: it has a PTY, which this API cannot reach, so it must report no terminal
        runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new FakeProvider(), new LocalProvider(dataDir)));
        server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
        for (Role role : Role.values()) {
            String key = runtime.apiKeys().create("test-" + role.wireName(), role);
            RunnerService client = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(), key, false));
            clients.put(role, client);
            opened.add(client);
        }
    }

    @AfterEach
    void stop() {
        opened.forEach(RunnerService::close);
        server.close();
        runtime.close();
    }

    @Override
    protected RunnerService admin() {
        return clients.get(Role.ADMIN);
    }

    @Override
    protected RunnerService as(Role role) {
        return clients.get(role);
    }
}
