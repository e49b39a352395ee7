package dev.runnerdesk.server;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.OutputChunk;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exec output passes the PII scanner before it is returned, streamed or stored — seen through the gateway API. */
class PiiEnforcementTest {
    private static final String CARD = "4111 1111 1111 1111";
    private static final String OUTPUT = "customer ada@example.com paid with " + CARD + "\n";
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private RunnerService client;

    @BeforeEach
    void start() throws IOException {
        runtime = EmbeddedRuntimes.open(dataDir);
        server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
        client = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(), runtime.apiKeys().create("pii", Role.ADMIN), false));
        Sandboxes.require(client);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        runtime.close();
    }

    private record Live(Runner runner, Session session) {
    }

    private Live launch() {
        Runner r = client.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.LOCKED, 600));
        return new Live(r, client.startSession(r.runnerId(), Optional.empty()));
    }

    private ExecResult printOutput(Live live, OutputListener listener) {
        return client.exec(live.runner().runnerId(), live.session().sessionId(),
                new ExecRequest(List.of("printf", "%s", OUTPUT), 30), listener);
    }

    @Test
    void detectedValuesAreRedactedInTheResultTheStreamAndNeverStored() throws Exception {
        Live live = launch();
        List<OutputChunk> watched = new CopyOnWriteArrayList<>();
        StringBuilder streamed = new StringBuilder();
        try (Subscription ignored = client.subscribe(Optional.of(live.runner().runnerId()), RunnerService.ONLY_NEW,
                new EventListener() {
                    @Override
                    public void onEvent(AuditEvent event) {
                    }

                    @Override
                    public void onOutput(OutputChunk chunk) {
                        watched.add(chunk);
                    }
                })) {
            ExecResult r = printOutput(live, (stream, chunk) -> streamed.append(chunk));
            assertEquals("customer [REDACTED:email] paid with [REDACTED:credit_card]\n", r.stdout());
            assertEquals(r.stdout(), streamed.toString(), "what streams is redacted too");
            Await.until(() -> !watched.isEmpty(), Duration.ofSeconds(10), "the subscriber's output chunk");
            assertFalse(watched.stream().anyMatch(c -> c.data().contains("4111")), "subscribers never see the value");
        }
        AuditEvent found = client.events(EventQuery.ofRunner(live.runner().runnerId(), 1)).events().get(0);
        assertEquals(EventTypes.PII_DETECTED, found.eventType());
        assertEquals(Map.of("email", 1, "credit_card", 1), normalize(found.data().get("detectors")));
        assertEquals("redact", found.data().get("action"));
        String everything = Json.write(client.events(EventQuery.all(1000)).events().stream().map(AuditEvent::data).toList());
        assertFalse(everything.contains("4111") || everything.contains("ada@example.com"), "no value in any event");
    }

    @Test
    void aBlockingDetectorWithholdsTheOutputWithAPolicyError() {
        Policies policies = client.policies();
        client.updatePolicies(policies.withPii(policies.pii().with(PiiDetector.CREDIT_CARD, PiiAction.BLOCK)));
        Live live = launch();
        StringBuilder streamed = new StringBuilder();
        RunnerException.PolicyDenied e = assertThrows(RunnerException.PolicyDenied.class,
                () -> printOutput(live, (stream, chunk) -> streamed.append(chunk)));
        assertTrue(e.getMessage().contains("credit_card"), e.getMessage());
        assertFalse(e.getMessage().contains("4111"));
        assertEquals("", streamed.toString(), "nothing streamed before the check");
        List<AuditEvent> newest = client.events(EventQuery.ofRunner(live.runner().runnerId(), 2)).events();
        assertEquals(EventTypes.PII_DETECTED, newest.get(0).eventType());
        assertEquals("block", newest.get(0).data().get("action"));
        assertEquals(true, newest.get(1).data().get("output_withheld"));
    }

    private static Map<String, Integer> normalize(Object counts) {
        Map<String, Integer> out = new HashMap<>();
        ((Map<?, ?>) counts).forEach((k, v) -> out.put(String.valueOf(k), ((Number) v).intValue()));
        return out;
    }
}
