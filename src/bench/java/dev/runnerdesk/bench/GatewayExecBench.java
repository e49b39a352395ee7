package dev.runnerdesk.bench;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.server.GatewayServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** One fake exec through {@code serve} and the gateway client, against an OkHttp GET of {@code /health} on the same server. */
@State(Scope.Benchmark)
public class GatewayExecBench {
    @Param("target/bench/work")
    public String workDir;

    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private RunnerService client;
    private String runnerId;
    private String sessionId;
    private OkHttpClient http;
    private Request health;
    private final ExecRequest echo = new ExecRequest(List.of("echo", "bench"), 30);

    @Setup
    public void start() throws IOException {
        runtime = new EmbeddedRuntime(Files.createDirectories(Path.of(workDir)).resolve("serve-" + System.nanoTime()),
                Clock.systemUTC(), List.of(new FakeProvider()));
        server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0).withRateLimit(0)).start();
        String key = runtime.apiKeys().create("bench", Role.ADMIN);
        client = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(), key, false));
        runnerId = client.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();
        sessionId = client.startSession(runnerId, Optional.empty()).sessionId();
        http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        health = new Request.Builder().url(server.baseUrl() + "/health").build();
    }

    @TearDown
    public void stop() {
        client.close();
        server.close();
        runtime.close();
    }

    @Benchmark
    public ExecResult ours() {
        return client.exec(runnerId, sessionId, echo);
    }

    @Benchmark
    public String floor() throws IOException {
        try (Response r = http.newCall(health).execute()) {
            return r.body().string();
        }
    }
}
