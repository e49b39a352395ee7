package dev.runnerdesk.server;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.store.IdempotentRequests;
import dev.runnerdesk.wire.Json;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `serve` honours Idempotency-Key on the routes that act: the same key again is the first answer, never a second action. */
class IdempotencyTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String CREATE = "{\"provider_type\":\"fake\",\"tool_profile\":\"locked\",\"ttl_seconds\":600}";
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private String admin;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).build();

    @BeforeEach
    void start() throws IOException {
        runtime = EmbeddedRuntimes.open(dataDir);
        admin = runtime.apiKeys().create("admin", Role.ADMIN);
        server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        runtime.close();
    }

    /** The gateway stops and starts again on the same data directory. */
    private void restart() throws IOException {
        server.close();
        runtime.close();
        runtime = EmbeddedRuntimes.open(dataDir);
        server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
    }

    private record Answer(int status, String body, String replayed, String contentType) {
        Map<String, Object> json() {
            return Json.readRequestObject(body.getBytes(StandardCharsets.UTF_8));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> error() {
            return (Map<String, Object>) json().get("error");
        }
    }

    private Answer post(String path, String key, String idempotencyKey, String body, String accept) throws IOException {
        Request.Builder b = new Request.Builder().url(server.baseUrl() + path).header("X-CM-API-Key", key)
                .post(RequestBody.create(body, JSON));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        try (Response r = http.newCall(b.build()).execute()) {
            return new Answer(r.code(), r.body().string(), r.header("Idempotent-Replayed"), r.header("Content-Type"));
        }
    }

    private Answer post(String path, String idempotencyKey, String body) throws IOException {
        return post(path, admin, idempotencyKey, body, null);
    }

    private List<AuditEvent> events(String type) {
        return runtime.serviceFor(Principal.localUser()).events(EventQuery.all(1000)).events().stream()
                .filter(e -> e.eventType().equals(type)).toList();
    }

    private long runners() {
        return runtime.serviceFor(Principal.localUser()).list(RunnerQuery.firstPage()).total();
    }

    @Test
    void aCreateSentAgainWithItsKeyIsTheFirstAnswerAndOneRunner() throws IOException {
        Answer first = post("/gateway/admin/runners", "create-1", CREATE);
        Answer again = post("/gateway/admin/runners", "create-1", CREATE);
        assertEquals(201, first.status(), first.body());
        assertNull(first.replayed());
        assertEquals(201, again.status());
        assertEquals("true", again.replayed());
        assertEquals(first.body(), again.body(), "byte for byte the first answer");
        assertTrue(again.contentType().startsWith("application/json"));
        assertEquals(1, runners());
        assertEquals(1, events(EventTypes.RUNNER_CREATED).size());

        Answer other = post("/gateway/admin/runners", "create-2", CREATE);
        assertEquals(201, other.status());
        assertEquals(2, runners(), "another key is another request");
        assertEquals(201, post("/gateway/admin/runners", null, CREATE).status());
        assertEquals(201, post("/gateway/admin/runners", null, CREATE).status());
        assertEquals(4, runners(), "without the header every create creates");
    }

    @Test
    void theKeyIsTheCallersOwnAndSurvivesARestart() throws IOException {
        String other = runtime.apiKeys().create("another-admin", Role.ADMIN);
        Answer mine = post("/gateway/admin/runners", "shared-key", CREATE);
        Answer theirs = post("/gateway/admin/runners", other, "shared-key", CREATE, null);
        assertEquals(201, theirs.status());
        assertNull(theirs.replayed(), "another caller's same key is not this one's");
        assertEquals(2, runners());

        restart();
        Answer afterRestart = post("/gateway/admin/runners", "shared-key", CREATE);
        assertEquals("true", afterRestart.replayed());
        assertEquals(mine.body(), afterRestart.body());
        assertEquals(2, runners());
    }

    @Test
    void theKeyWithAnotherRequestIsRefusedNamingTheHeader() throws IOException {
        post("/gateway/admin/runners", "k-1", CREATE);
        Answer other = post("/gateway/admin/runners", "k-1", CREATE.replace("600", "900"));
        assertEquals(400, other.status());
        assertEquals("Idempotency-Key", other.error().get("field"));
        assertTrue(String.valueOf(other.error().get("message")).contains("another request"), other.body());
        assertEquals(1, runners());
    }

    @Test
    void aRefusedRequestLeavesItsKeyFreeForTheCorrectedOne() throws IOException {
        String bad = CREATE.replace("600", "5");
        assertEquals(400, post("/gateway/admin/runners", "k-2", bad).status());
        Answer badAgain = post("/gateway/admin/runners", "k-2", bad);
        assertEquals(400, badAgain.status());
        assertNull(badAgain.replayed(), "a refusal is not stored: it is decided again");
        // the corrected request has another body, and the key was never spent
        assertEquals(201, post("/gateway/admin/runners", "k-2", CREATE).status());
        assertEquals(1, runners());
    }

    @Test
    void startExecStopAndTerminateActOncePerKey() throws IOException {
        String runnerId = (String) post("/gateway/admin/runners", null, CREATE).json().get("runner_id");
        String runner = "/gateway/admin/runners/" + runnerId;
        Answer start = post(runner + "/start", "s-1", "{}");
        assertEquals(200, start.status(), start.body());
        assertEquals(start.body(), post(runner + "/start", "s-1", "{}").body(), "not a 409 for a second session");
        String sessionId = (String) start.json().get("session_id");

        String exec = "{\"session_id\":\"" + sessionId + "\",\"argv\":[\"echo\",\"hi\"]}";
        Answer ran = post(runner + "/exec", "e-1", exec);
        Answer ranAgain = post(runner + "/exec", "e-1", exec);
        assertEquals(200, ran.status(), ran.body());
        assertEquals(ran.body(), ranAgain.body());
        assertEquals(1, events(EventTypes.COMMAND_EXECUTED).size(), "the command ran once");

        Answer streamed = post(runner + "/exec", admin, "e-2", exec, "application/x-ndjson");
        Answer streamedAgain = post(runner + "/exec", admin, "e-2", exec, "application/x-ndjson");
        assertTrue(streamed.contentType().startsWith("application/x-ndjson"));
        assertTrue(streamed.body().contains("\"type\":\"result\""), streamed.body());
        assertEquals(streamed.body(), streamedAgain.body(), "the streamed lines again, result included");
        assertEquals("true", streamedAgain.replayed());
        assertEquals(2, events(EventTypes.COMMAND_EXECUTED).size());

        String stop = "{\"session_id\":\"" + sessionId + "\"}";
        assertEquals(200, post(runner + "/stop", "st-1", stop).status());
        assertEquals(200, post(runner + "/stop", "st-1", stop).status());
        Answer terminated = post(runner + "/terminate", "t-1", "{}");
        Answer terminatedAgain = post(runner + "/terminate", "t-1", "{}");
        assertEquals(200, terminated.status());
        assertEquals(terminated.body(), terminatedAgain.body());
        assertEquals(1, events(EventTypes.RUNNER_TERMINATED).size());
    }

    @Test
    void badKeysAre400() throws IOException {
        for (String key : List.of("x".repeat(256), "has space", "tab\there", "\"\"")) {
            Answer a = post("/gateway/admin/runners", key, CREATE);
            assertEquals(400, a.status(), key);
            assertEquals("Idempotency-Key", a.error().get("field"));
        }
        assertEquals(201, post("/gateway/admin/runners", "\"quoted-uuid-0001\"", CREATE).status(), "a structured-field string");
        assertEquals(201, post("/gateway/admin/runners", "x".repeat(255), CREATE).status());
        assertEquals(2, runners());
    }

    @Test
    void aKeyInUseIs409AndARequestCutOffByAStopIsAnsweredOutcomeUnknownNotRunAgain() throws IOException {
        IdempotentRequests requests = new IdempotentRequests(runtime.database());
        // as the gateway left it when it stopped in the middle of a create
        requests.claim("admin", "cut-off", "not this request", Instant.now());
        restart();
        Answer retry = post("/gateway/admin/runners", "cut-off", CREATE);
        assertEquals(400, retry.status(), "another fingerprint: refused before anything");
        String body = CREATE;
        requests = new IdempotentRequests(runtime.database());
        requests.claim("admin", "cut-off-2", Idempotency.fingerprint("POST", "/gateway/admin/runners",
                body.getBytes(StandardCharsets.UTF_8)), Instant.now());
        Answer meanwhile = post("/gateway/admin/runners", "cut-off-2", body);
        assertEquals(409, meanwhile.status(), "the first is still running: " + meanwhile.body());
        restart();
        Answer unknown = post("/gateway/admin/runners", "cut-off-2", body);
        assertEquals(503, unknown.status());
        assertEquals("outcome_unknown", unknown.error().get("code"));
        assertEquals(0, runners(), "never done a second time");
    }
}
