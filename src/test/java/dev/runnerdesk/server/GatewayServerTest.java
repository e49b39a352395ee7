package dev.runnerdesk.server;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.wire.Json;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `serve` as a raw HTTP peer sees it: status codes, error bodies, headers, the event stream. */
class GatewayServerTest {
    private static final MediaType JSON = MediaType.get("application/json");
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private String admin;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).build();

    private void start(GatewayServer.Options options) throws IOException {
        runtime = EmbeddedRuntimes.open(dataDir.resolve("d" + System.nanoTime()));
        admin = runtime.apiKeys().create("admin", Role.ADMIN);
        server = new GatewayServer(runtime, options.withPort(0)).start();
    }

    @BeforeEach
    void startDefault() throws IOException {
        start(GatewayServer.Options.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
        runtime.close();
    }

    private void restart(GatewayServer.Options options) throws IOException {
        stop();
        start(options);
    }

    private Response call(String method, String path, String key, String body) throws IOException {
        Request.Builder b = new Request.Builder().url(server.baseUrl() + path);
        if (key != null) {
            b.header("X-CM-API-Key", key);
        }
        b.method(method, body == null ? (method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0]) : null)
                : RequestBody.create(body, JSON));
        return http.newCall(b.build()).execute();
    }

    private static Map<String, Object> error(Response response) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) Json.readObject(response.body().string()).get("error");
        assertNotNull(error);
        assertTrue(String.valueOf(error.get("request_id")).startsWith("req_"));
        return error;
    }

    private List<AuditEvent> events() {
        return runtime.serviceFor(Principal.localUser()).events(EventQuery.all(100)).events();
    }

    @Test
    void healthNeedsNoKeyButEverythingElseDoes() throws IOException {
        try (Response health = call("GET", "/health", null, null)) {
            assertEquals(200, health.code());
            assertTrue(health.body().string().contains("\"status\":\"ok\""));
        }
        try (Response missing = call("GET", "/gateway/admin/runners/", null, null)) {
            assertEquals(401, missing.code());
            assertEquals("unauthorized", error(missing).get("code"));
        }
        try (Response unknown = call("GET", "/gateway/admin/runners/", "cm_sk_not_a_real_key", null)) {
            assertEquals(401, unknown.code());
        }
        AuditEvent denied = events().get(0);
        assertEquals(EventTypes.AUTH_DENIED, denied.eventType());
        assertEquals("unknown API key", denied.data().get("reason"));
        assertFalse(Json.write(denied.data()).contains("cm_sk_not_a_real_key"), "the key never enters an event");
    }

    @Test
    void bearerTokensAreAcceptedAndMeSaysWhoYouAre() throws IOException {
        Request request = new Request.Builder().url(server.baseUrl() + "/v1/admin/me").header("Authorization", "Bearer " + admin).build();
        try (Response me = http.newCall(request).execute()) {
            assertEquals(200, me.code());
            Map<String, Object> body = Json.readObject(me.body().string());
            assertEquals("admin", body.get("name"));
            assertEquals("admin", body.get("role"));
            assertEquals(true, body.get("beta_access"));
        }
    }

    @Test
    void badInputIs400NamingTheField() throws IOException {
        try (Response r = call("POST", "/gateway/admin/runners/", admin, "{\"provider_type\":\"fake\",\"ttl_seconds\":\"soon\"}")) {
            assertEquals(400, r.code());
            Map<String, Object> error = error(r);
            assertEquals("ttl_seconds", error.get("field"));
            assertTrue(String.valueOf(error.get("message")).contains("ttl_seconds must be a whole number"));
        }
        try (Response r = call("POST", "/gateway/admin/runners/", admin, "{\"provider_type\":")) {
            assertEquals(400, r.code());
            assertTrue(String.valueOf(error(r).get("message")).startsWith("the request body is not a JSON object"));
        }
        try (Response r = call("GET", "/gateway/admin/runners/?limit=many", admin, null)) {
            assertEquals(400, r.code());
            assertEquals("limit", error(r).get("field"));
        }
        assertEquals(0, runtime.serviceFor(Principal.localUser()).list(RunnerQuery.firstPage()).total());
    }

    @Test
    void wrongStateIs409UnknownRunnerIs404WrongMethodIs405() throws IOException {
        Runner r = runtime.serviceFor(Principal.localUser()).create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        try (Response first = call("POST", "/gateway/admin/runners/" + r.runnerId() + "/terminate", admin, null)) {
            assertEquals(200, first.code());
        }
        try (Response again = call("POST", "/gateway/admin/runners/" + r.runnerId() + "/terminate", admin, null)) {
            assertEquals(409, again.code());
            assertEquals("conflict", error(again).get("code"));
        }
        try (Response missing = call("GET", "/gateway/admin/runners/runner_000000000000", admin, null)) {
            assertEquals(404, missing.code());
        }
        try (Response wrong = call("DELETE", "/gateway/admin/runners/" + r.runnerId() + "/terminate", admin, null)) {
            assertEquals(405, wrong.code());
            assertEquals("POST", wrong.header("Allow"));
        }
    }

    @Test
    void aBodyOverOneMebibyteIs413() throws IOException {
        String big = "{\"argv\":[\"" + "a".repeat(HttpCall.MAX_BODY_BYTES) + "\"]}";
        try (Response r = call("POST", "/gateway/admin/runners/", admin, big)) {
            assertEquals(413, r.code());
            assertEquals("payload_too_large", error(r).get("code"));
        }
    }

    @Test
    void aViewerKeyCannotExecAndTheDenialIsAudited() throws IOException {
        RunnerService local = runtime.serviceFor(Principal.localUser());
        Runner r = local.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        String session = local.startSession(r.runnerId(), Optional.empty()).sessionId();
        String viewer = runtime.apiKeys().create("watcher", Role.VIEWER);
        try (Response exec = call("POST", "/gateway/admin/runners/" + r.runnerId() + "/exec?session_id=" + session, viewer,
                "{\"argv\":[\"echo\",\"hi\"]}")) {
            assertEquals(403, exec.code());
            assertEquals("forbidden", error(exec).get("code"));
        }
        AuditEvent denied = events().get(0);
        assertEquals(EventTypes.AUTH_DENIED, denied.eventType());
        assertEquals("watcher", denied.actor());
        assertEquals(Optional.of(r.runnerId()), denied.runnerId());
    }

    @Test
    void anAuditorKeyReadsEverythingAndEveryChangeIs403AndAudited() throws IOException {
        RunnerService local = runtime.serviceFor(Principal.localUser());
        Policies policies = local.policies();
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
        ProfilePolicy locked = policies.profile(ToolProfile.LOCKED);
        profiles.put(ToolProfile.LOCKED, locked.withRecording(locked.recordingCapMib(), Role.ADMIN));
        local.updatePolicies(new Policies(profiles, policies.pii()));
        Runner r = local.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        String session = local.startSession(r.runnerId(), Optional.empty()).sessionId();
        String auditor = runtime.apiKeys().create("auditor-1", Role.AUDITOR);
        String operator = runtime.apiKeys().create("operator-1", Role.OPERATOR);
        String runner = "/gateway/admin/runners/" + r.runnerId();

        try (Response me = call("GET", "/v1/admin/me", auditor, null)) {
            assertEquals(200, me.code());
            Map<String, Object> body = Json.readObject(me.body().string());
            assertEquals("auditor", body.get("role"));
            assertEquals(List.of("read", "audit"), body.get("permissions"));
        }
        for (String path : List.of("/gateway/admin/runners/", runner, runner + "/events", "/gateway/admin/events",
                "/gateway/admin/policies", "/gateway/admin/members")) {
            try (Response read = call("GET", path, auditor, null)) {
                assertEquals(200, read.code(), path);
            }
        }
        // recordings only admins may read: past the role check (404, no recording yet) for the auditor, not for an operator
        String recording = runner + "/sessions/" + session + "/recordings/1";
        try (Response read = call("GET", recording, auditor, null)) {
            assertEquals(404, read.code());
            assertEquals("not_found", error(read).get("code"));
        }
        try (Response read = call("GET", recording, operator, null)) {
            assertEquals(403, read.code());
        }
        long deniedBefore = events().stream().filter(e -> e.eventType().equals(EventTypes.AUTH_DENIED)).count();

        String policiesBody;
        try (Response read = call("GET", "/gateway/admin/policies", auditor, null)) {
            policiesBody = read.body().string();
        }
        List<String[]> changes = List.of(
                new String[] {"POST", "/gateway/admin/runners/", "{\"provider_type\":\"fake\",\"tool_profile\":\"locked\"}"},
                new String[] {"POST", runner + "/start", "{}"},
                new String[] {"POST", runner + "/exec?session_id=" + session, "{\"argv\":[\"echo\",\"hi\"]}"},
                new String[] {"POST", runner + "/stop?session_id=" + session, "{}"},
                new String[] {"POST", runner + "/terminate", "{}"},
                new String[] {"PUT", "/gateway/admin/policies", policiesBody});
        for (String[] change : changes) {
            try (Response refused = call(change[0], change[1], auditor, change[2])) {
                assertEquals(403, refused.code(), change[0] + " " + change[1]);
                assertEquals("application/json", refused.header("Content-Type", "").split(";")[0]);
                Map<String, Object> error = error(refused);
                assertEquals("forbidden", error.get("code"));
                assertTrue(String.valueOf(error.get("message")).startsWith("role auditor may not "), error.toString());
            }
        }
        List<AuditEvent> denials = events().stream().filter(e -> e.eventType().equals(EventTypes.AUTH_DENIED)).toList();
        assertEquals(changes.size(), denials.size() - deniedBefore, denials.toString());
        assertTrue(denials.subList(0, changes.size()).stream().allMatch(e -> e.actor().equals("auditor-1")), denials.toString());
        assertEquals(1, local.list(RunnerQuery.firstPage()).total(), "nothing was created");
        assertEquals(Optional.of(session), local.get(r.runnerId()).activeSession().map(Session::sessionId));
        assertEquals(Role.ADMIN, local.policies().profile(ToolProfile.LOCKED).recordingReaders());
    }

    @Test
    void aPolicyNamingAuditorAsRecordingReadersIs400NamingTheField() throws IOException {
        String policies;
        try (Response read = call("GET", "/gateway/admin/policies", admin, null)) {
            policies = read.body().string();
        }
        String edited = policies.replaceFirst("\"recording_readers\":\"operator\"", "\"recording_readers\":\"auditor\"");
        assertFalse(edited.equals(policies), policies);
        try (Response r = call("PUT", "/gateway/admin/policies", admin, edited)) {
            assertEquals(400, r.code());
            Map<String, Object> error = error(r);
            assertTrue(String.valueOf(error.get("field")).endsWith(".recording_readers"), error.toString());
            assertTrue(String.valueOf(error.get("message")).contains("auditors read every recording"), error.toString());
        }
    }

    @Test
    void betaDisabledAnswers404OnEveryRunnerRoute() throws IOException {
        restart(GatewayServer.Options.defaults().withBetaDisabled(true));
        for (String path : List.of("/gateway/admin/runners/", "/gateway/admin/runners/runner_abc123def456",
                "/gateway/admin/runners/runner_abc123def456/events")) {
            try (Response r = call("GET", path, admin, null)) {
                assertEquals(404, r.code(), path);
            }
        }
        try (Response me = call("GET", "/v1/admin/me", admin, null)) {
            assertEquals(false, Json.readObject(me.body().string()).get("beta_access"));
        }
        GatewayRunnerService client = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(), admin, false));
        assertThrows(RunnerException.BetaNotEnabled.class, () -> client.list(RunnerQuery.firstPage()));
        assertFalse(client.whoami().betaAccess());
    }

    @Test
    void overTheRateLimitIs429WithRetryAfterAndRateLimitHeaders() throws IOException {
        restart(GatewayServer.Options.defaults().withRateLimit(3));
        for (int i = 0; i < 3; i++) {
            try (Response ok = call("GET", "/gateway/admin/runners/", admin, null)) {
                assertEquals(200, ok.code());
                assertEquals("3", ok.header("RateLimit-Limit"));
                assertEquals(Integer.toString(2 - i), ok.header("RateLimit-Remaining"));
            }
        }
        try (Response limited = call("GET", "/gateway/admin/runners/", admin, null)) {
            assertEquals(429, limited.code());
            assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
            assertEquals("rate_limited", error(limited).get("code"));
        }
    }

    @Test
    void theStreamSendsEventsHeartbeatsAndResumesFromLastEventId() throws IOException {
        restart(GatewayServer.Options.defaults().withHeartbeat(Duration.ofMillis(200)));
        RunnerService local = runtime.serviceFor(Principal.localUser());
        Runner r = local.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        Request request = new Request.Builder().url(server.baseUrl() + "/gateway/admin/runners/" + r.runnerId() + "/stream")
                .header("X-CM-API-Key", admin).header("Last-Event-ID", "1").build();
        try (Response stream = http.newCall(request).execute()) {
            assertEquals(200, stream.code());
            assertTrue(stream.header("Content-Type").startsWith("text/event-stream"));
            BufferedSource source = stream.body().source();
            List<String> lines = new ArrayList<>();
            // one line a check: resumed after seq 1, runner.ready (seq 2) is replayed, then a heartbeat while idle
            Await.until(() -> lines.add(source.readUtf8LineStrict()) && lines.contains("event: runner.ready")
                    && lines.contains(": heartbeat"), Duration.ofSeconds(10), () -> "runner.ready and a heartbeat in " + lines);
            assertTrue(lines.contains("id: 2"), lines.toString());
            assertFalse(lines.contains("event: runner.created"), "seq 1 was already seen");
        }
    }

    @Test
    void errorsNeverCarryAStackTrace() throws IOException {
        try (Response r = call("POST", "/gateway/admin/runners/x/exec", admin, "{\"argv\":[\"echo\"],\"timeout_seconds\":1.5}")) {
            String body = r.body().string();
            assertEquals(400, r.code());
            assertFalse(body.contains("at dev.runnerdesk"), body);
            assertFalse(body.contains("Exception"), body);
        }
    }
}
