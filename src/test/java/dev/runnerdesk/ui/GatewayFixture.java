package dev.runnerdesk.ui;

import dev.runnerdesk.core.ConnectionProfile;
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

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    @Override
    public void close() {
        connection.close();
        server.close();
    }
}
