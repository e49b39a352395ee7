package dev.runnerdesk.ui;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.connections.ActiveConnection;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * What a controller test against a misbehaving gateway needs: a fault-injecting HTTP server answering as {@code answer}
 * says, the real gateway client on it, an {@link ImmediateTaskExecutor}, and a connection that is online when the
 * constructor returns. Build it on the FX thread ({@link OnFxThread}).
 */
public final class GatewayFixture implements AutoCloseable {
    private static final String KEY = "cm_sk_gatewayfixture0123456789";
    public final MockWebServer server = new MockWebServer();
    public final ImmediateTaskExecutor tasks = new ImmediateTaskExecutor();
    public final Notifier notifier = new Notifier();
    public final ActiveConnection connection;

    public GatewayFixture(Function<RecordedRequest, MockResponse> answer) throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
        server.start(0);
        GatewayRunnerService gateway = new GatewayRunnerService(GatewayConnection.of(server.url("/").toString(), KEY, false));
        connection = new ActiveConnection((profile, key) -> gateway, new MemorySecretStore("tests keep keys in memory"),
                tasks, Clock.systemUTC());
        connection.connect(ConnectionProfile.thisComputer());
    }

    /**
     * The gateway client on {@code server} for every profile, each call's deadline read as the composition root has it
     * (from the connection's setting).
     */
    public static RunnerServiceFactory gatewayOn(MockWebServer server) {
        return new RunnerServiceFactory() {
            @Override
            public RunnerService open(ConnectionProfile profile, Optional<String> apiKey) {
                return open(profile, apiKey, () -> GatewayConnection.DEFAULT_DEADLINE);
            }

            @Override
            public RunnerService open(ConnectionProfile profile, Optional<String> apiKey, Supplier<Duration> deadline) {
                return new GatewayRunnerService(GatewayConnection.of(server.url("/").toString(), KEY, false).withDeadline(deadline));
            }
        };
    }

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    @Override
    public void close() {
        connection.close();
        server.close();
    }
}
