package dev.runnerdesk.server;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.store.Database;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.wire.PolicyJson;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `serve` against a hostile client: floods without a key, malformed bodies and parameters on every route, secrets
 * smuggled into audited fields. Every answer is the gateway's JSON error, never a 500, a stack trace or a host path;
 * nothing a caller without a key sends can grow the audit trail.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerAbuseTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String EMAIL = "ada@example.com";
    private static final String CARD = "4111111111111111";
    private static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final int FLOOD = 1_000;

    @TempDir
    Path dataDir;
    private Path data;
    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private String admin;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(60, TimeUnit.SECONDS).build();

    private void start(EmbeddedRuntime opened, GatewayServer.Options options) throws IOException {
        runtime = opened;
        admin = runtime.apiKeys().create("admin", Role.ADMIN);
        server = new GatewayServer(runtime, options.withPort(0)).start();
    }

    private void startDefault() throws IOException {
        data = dataDir.resolve("data");
        start(EmbeddedRuntimes.open(data), GatewayServer.Options.defaults());
    }

    /** Stops the server and closes the runtime (which records what denials it still holds). */
    private void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    @AfterEach
    void tearDown() {
        stop();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private record Answer(int status, String contentType, String body, Headers headers) {
    }

    private Answer send(String method, String pathAndQuery, String key, byte[] body) throws IOException {
        Request.Builder b = new Request.Builder().url(server.baseUrl() + pathAndQuery);
        if (key != null) {
            b.header("X-CM-API-Key", key);
        }
        boolean needsBody = method.equals("POST") || method.equals("PUT");
        b.method(method, body == null ? (needsBody ? RequestBody.create(new byte[0]) : null) : RequestBody.create(body, JSON));
        try (Response r = http.newCall(b.build()).execute()) {
            return new Answer(r.code(), r.header("Content-Type", ""), r.body().string(), r.headers());
        }
    }

    private Answer send(String method, String pathAndQuery, String key, String body) throws IOException {
        return send(method, pathAndQuery, key, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The answer is the gateway's JSON error with {@code status}, and shows nothing of the server's insides. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> assertJsonError(Answer a, int status, String context) throws IOException {
        assertEquals(status, a.status(), context + " → " + a.body());
        assertTrue(a.contentType().startsWith("application/json"), context + ": " + a.contentType());
        assertClean(a.body(), context);
        Map<String, Object> error = (Map<String, Object>) Json.readObject(a.body()).get("error");
        assertNotNull(error, context + ": " + a.body());
        assertTrue(error.get("code") instanceof String c && !c.isEmpty(), context + ": " + a.body());
        assertTrue(error.get("message") instanceof String m && !m.isEmpty(), context + ": " + a.body());
        assertTrue(String.valueOf(error.get("request_id")).startsWith("req_"), context + ": " + a.body());
        return error;
    }

    private void assertClean(String body, String context) {
        for (String inside : List.of("Exception", "at dev.runnerdesk", "java.", "com.fasterxml", "StreamReadConstraints",
                "JsonReadFeature", dataDir.toString())) {
            assertFalse(body.contains(inside), context + " shows " + inside + ": " + body);
        }
    }

    /** A fake runner of {@code profile} with an active session. */
    private record Live(String runnerId, String sessionId) {
    }

    private Live live(ToolProfile profile) {
        RunnerService local = runtime.serviceFor(Principal.localUser());
        String runnerId = local.create(new CreateRunnerRequest(ProviderType.FAKE, profile, 600)).runnerId();
        return new Live(runnerId, local.startSession(runnerId, Optional.empty()).sessionId());
    }

    private static long databaseBytes(Path dir) throws IOException {
        long total = 0;
        for (String name : List.of(Database.FILE_NAME, Database.FILE_NAME + "-wal")) {
            Path file = dir.resolve(name);
            total += Files.exists(file) ? Files.size(file) : 0;
        }
        return total;
    }

    /**
     * The database file and its WAL grew by less than 1 MiB since {@code before}: while the server runs, and after it
     * stopped (which records the coalesced counts it still held, and checkpoints the WAL into the file).
     */
    private void assertGrewLessThanOneMebibyte(long before) throws IOException {
        long running = databaseBytes(data) - before;
        stop();
        long stopped = databaseBytes(data) - before;
        assertTrue(running < 1024 * 1024 && stopped < 1024 * 1024,
                "the database grew by " + running + " bytes while serving, " + stopped + " after stopping");
    }

    private List<AuditEvent> events(EmbeddedRuntime rt) {
        return rt.serviceFor(Principal.localUser()).events(EventQuery.all(EventQuery.MAX_LIMIT)).events();
    }

    private List<AuditEvent> denials(EmbeddedRuntime rt) {
        return events(rt).stream().filter(e -> e.eventType().equals(EventTypes.AUTH_DENIED)).toList();
    }

    private static long count(AuditEvent e) {
        return ((Number) e.data().get("count")).longValue();
    }

    /** Sends {@code requests} from 4 threads at once while {@code during} runs, then returns every answer's status. */
    private List<Integer> flood(int requests, String path, Runnable during) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> send("GET", path, null, (byte[]) null).status()));
            }
            during.run();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get(2, TimeUnit.MINUTES));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A request with the admin key, which answers 200 and is never limited by another caller's flood. */
    private void assertKeyHolderServed() {
        try {
            Answer a = send("GET", "/gateway/admin/runners/", admin, (byte[]) null);
            assertEquals(200, a.status(), a.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- break 6: nobody without a key grows the audit trail ---

    @Test
    void aThousandUnauthenticatedRequestsWithLongPathsGrowTheDatabaseByLessThanOneMebibyte() throws Exception {
        startDefault();
        long before = databaseBytes(data);
        String path = "/gateway/admin/runners/" + EMAIL + "/" + "x".repeat(100 * 1024);
        List<Integer> statuses = flood(FLOOD, path, this::assertKeyHolderServed);
        assertKeyHolderServed();
        assertGrewLessThanOneMebibyte(before);
        assertTrue(statuses.stream().allMatch(s -> s == 414), "a 100 KB path is refused at the edge: " + statuses.subList(0, 5));
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(data)) {
            assertTrue(denials(reopened).isEmpty(), "nothing but the refusal: " + denials(reopened));
        }
    }

    @Test
    void denialsAreLimitedPerAddressCoalescedAndCountedWhileAKeyHolderIsServed() throws Exception {
        startDefault();
        long before = databaseBytes(data);
        // under the edge's path limit, so every request reaches authentication
        String path = "/gateway/admin/runners/" + EMAIL + "/" + "x".repeat(HttpCall.MAX_TARGET_CHARS - 100);
        long started = System.nanoTime();
        List<Integer> statuses = flood(FLOOD, path, this::assertKeyHolderServed);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;
        assertKeyHolderServed();
        long unauthorized = statuses.stream().filter(s -> s == 401).count();
        long limited = statuses.stream().filter(s -> s == 429).count();
        assertEquals(FLOOD, unauthorized + limited, statuses.toString());
        // a minute's worth at once, then one a second
        assertTrue(unauthorized <= GatewayServer.Options.DEFAULT_UNAUTHENTICATED_PER_MINUTE + seconds,
                unauthorized + " answered 401 in " + seconds + " s: the rest must have been limited");
        // still limited: one a second comes back, so on a slow machine a request may find one; the next few cannot all
        Answer limitedAnswer = send("GET", path, null, (byte[]) null);
        int sentAfter = 1;
        for (; sentAfter <= 20 && limitedAnswer.status() == 401; sentAfter++) {
            limitedAnswer = send("GET", path, null, (byte[]) null);
        }
        Map<String, Object> error = assertJsonError(limitedAnswer, 429, "limited");
        assertEquals("rate_limited", error.get("code"));
        assertTrue(Long.parseLong(limitedAnswer.headers().get("Retry-After")) >= 1);

        assertGrewLessThanOneMebibyte(before);
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(data)) {
            List<AuditEvent> denied = denials(reopened);
            assertTrue(denied.size() <= 4, "one event per address and reason, and one count each: " + denied.size());
            assertEquals(FLOOD + sentAfter, denied.stream().mapToLong(ServerAbuseTest::count).sum(), "every denial is counted");
            for (AuditEvent e : denied) {
                assertEquals("127.0.0.1", e.data().get("client_address"));
                String stored = (String) e.data().get("path");
                assertTrue(stored.length() < 300, "a bounded path: " + stored.length());
                assertFalse(stored.contains(EMAIL), "a scanned path: " + stored);
            }
        }
    }

    @Test
    void aDenialIsRecordedAtOnceAndTheOnesAfterItAsOneCountWhenTheIntervalEnds() throws Exception {
        data = dataDir.resolve("clocked");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T09:00:00Z"));
        start(new EmbeddedRuntime(data, clock, List.of(new FakeProvider())), GatewayServer.Options.defaults());
        BlockingQueue<AuditEvent> seen = new LinkedBlockingQueue<>();
        try (Subscription ignored = runtime.serviceFor(Principal.localUser()).subscribe(Optional.empty(), RunnerService.ONLY_NEW,
                new EventListener() {
                    @Override
                    public void onEvent(AuditEvent event) {
                        seen.add(event);
                    }
                })) {
            for (int i = 0; i < 5; i++) {
                assertJsonError(send("GET", "/gateway/admin/runners/", "cm_sk_wrong", (byte[]) null), 401, "wrong key");
            }
            AuditEvent first = seen.poll(10, TimeUnit.SECONDS);
            assertNotNull(first, "the first denial is recorded at once");
            assertEquals(1, count(first));
            assertEquals("unknown API key", first.data().get("reason"));
            assertNotNull(first.data().get("key_fingerprint"));
            assertFalse(Json.write(first.data()).contains("cm_sk_wrong"), "never the key itself");

            clock.advance(Duration.ofSeconds(61));
            runtime.startBackgroundWork(Duration.ofMillis(20)); // its tick records the intervals that ended
            AuditEvent summary = seen.poll(10, TimeUnit.SECONDS);
            assertNotNull(summary, "the count is recorded when the interval ends");
            assertEquals(4, count(summary));
            for (int i = 0; i < 3; i++) {
                send("GET", "/gateway/admin/runners/", "cm_sk_wrong", (byte[]) null);
            }
        }
        stop(); // and what is left at shutdown
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(data)) {
            List<Long> counts = denials(reopened).stream().map(ServerAbuseTest::count).toList();
            assertEquals(List.of(3L, 4L, 1L), counts, "newest first: while denials go on, one event an interval");
        }
    }

    @Test
    void refusalsOfAnAuthenticatedCallerStayBounded() throws Exception {
        startDefault();
        String viewer = runtime.apiKeys().create("viewer", Role.VIEWER);
        long eventsBefore = events(runtime).size();
        String longId = "runner_" + "a".repeat(5_000);
        Answer a = send("POST", "/gateway/admin/runners/" + longId + "/terminate", viewer, "{}");
        assertEquals("runner_id", assertJsonError(a, 400, "long id").get("field"));
        assertEquals(eventsBefore, events(runtime).size(), "a malformed id is refused before anything records it");
        Answer denied = send("POST", "/gateway/admin/runners/runner_abcdefabcdef/terminate", viewer, "{}");
        assertJsonError(denied, 403, "viewer");
        AuditEvent event = events(runtime).get(0);
        assertEquals(EventTypes.AUTH_DENIED, event.eventType());
        assertTrue(Json.write(event.data()).length() < 256, Json.write(event.data()));
    }

    // --- break 7: every malformed body or parameter is a 400 naming the problem ---

    private record Case(String method, String path, String body, int status, String names) {
    }

    private static String nested(int depth) {
        return "{\"argv\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    @Test
    void malformedBodiesOnEveryRouteAre400sNamingTheProblem() throws Exception {
        startDefault();
        Live live = live(ToolProfile.LOCKED);
        String base = "/gateway/admin/runners/";
        List<String[]> routes = List.of(
                new String[] {"POST", base},
                new String[] {"POST", base + live.runnerId() + "/start"},
                new String[] {"POST", base + live.runnerId() + "/exec?session_id=" + live.sessionId()},
                new String[] {"POST", base + live.runnerId() + "/stop?session_id=" + live.sessionId()},
                new String[] {"PUT", "/gateway/admin/policies"});
        List<String[]> bodies = List.of(
                new String[] {"null", "null"},
                new String[] {"[]", "array"},
                new String[] {"\"text\"", "string"},
                new String[] {"42", "number"},
                new String[] {"true", "boolean"},
                new String[] {"[".repeat(5_000) + "]".repeat(5_000), "array"},
                new String[] {nested(5_000), "deeper than"},
                new String[] {"{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000), "deeper than"},
                new String[] {"{\"provider_type\":\"fake\",\"provider_type\":\"local\"}", "twice"},
                new String[] {"{} trailing", "more after"},
                new String[] {"{}{}", "more after"},
                new String[] {"{\"argv\":", "not a JSON object"},
                new String[] {"{'argv':1}", "not a JSON object"},
                new String[] {"{\"argv\":[\"echo\"],}", "not a JSON object"},
                new String[] {"{\"argv\":NaN}", "not a JSON object"});
        for (String[] route : routes) {
            for (String[] body : bodies) {
                String context = route[0] + " " + route[1] + " with " + body[0].substring(0, Math.min(40, body[0].length()));
                Map<String, Object> error = assertJsonError(send(route[0], route[1], admin, body[0]), 400, context);
                assertEquals("invalid_request", error.get("code"), context);
                assertTrue(String.valueOf(error.get("message")).contains(body[1]), context + ": " + error);
            }
            byte[] notUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            assertTrue(String.valueOf(assertJsonError(send(route[0], route[1], admin, notUtf8), 400, route[1] + " latin-1")
                    .get("message")).contains("UTF-8"));
            byte[] tooLarge = ("{\"a\":\"" + "x".repeat(HttpCall.MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertEquals("payload_too_large", assertJsonError(send(route[0], route[1], admin, tooLarge), 413, route[1] + " big")
                    .get("code"));
        }
        assertEquals(1, runtime.serviceFor(Principal.localUser()).list(RunnerQuery.firstPage()).total(),
                "the duplicate key made no runner");
    }

    @Test
    void malformedFieldsAndParametersOnEveryRouteAre400sNamingThem() throws Exception {
        startDefault();
        RunnerService local = runtime.serviceFor(Principal.localUser());
        Live live = live(ToolProfile.LOCKED);
        String id = live.runnerId();
        String s = live.sessionId();
        String ready = local.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600)).runnerId();
        String base = "/gateway/admin/runners/";
        String exec = base + id + "/exec?session_id=" + s;
        String huge = "99999999999999999999999";
        String bigArg = "x".repeat(ExecRequest.MAX_ARG_BYTES + 1);
        List<Case> cases = new ArrayList<>();
        for (String v : List.of("5", "[]", "{}", "true", "\"nope\"")) {
            cases.add(new Case("POST", base, "{\"provider_type\":" + v + "}", 400, "provider_type"));
            cases.add(new Case("POST", base, "{\"tool_profile\":" + v + "}", 400, "tool_profile"));
        }
        for (String v : List.of("\"soon\"", "1.5", "1e30", huge, "-5", "0", "[]", "{}", "true")) {
            cases.add(new Case("POST", base, "{\"ttl_seconds\":" + v + "}", 400, "ttl_seconds"));
            cases.add(new Case("POST", base + ready + "/start", "{\"ttl_override\":" + v + "}", 400, "ttl_override"));
            cases.add(new Case("POST", exec, "{\"argv\":[\"echo\"],\"timeout_seconds\":" + v + "}", 400, "timeout_seconds"));
        }
        for (String v : List.of("5", "[]", "\"has space\"", "\"" + "x".repeat(600) + "\"")) {
            cases.add(new Case("POST", base, "{\"image_ref\":" + v + "}", 400, "image_ref"));
        }
        for (String v : List.of("null", "\"echo\"", "[]", "[1]", "[null]", "[[\"echo\"]]", "[\"\"]", "[\"echo\",\"a\\u0000b\"]",
                "[\"echo\",\"" + bigArg + "\"]", "[" + "\"a\",".repeat(ExecRequest.MAX_ARGS) + "\"a\"]", "{}")) {
            cases.add(new Case("POST", exec, "{\"argv\":" + v + "}", 400, "argv"));
        }
        for (String v : List.of("5", "[]", "\"bad id!\"", "\"" + "s".repeat(100) + "\"", "\"../x\"")) {
            cases.add(new Case("POST", base + id + "/exec", "{\"argv\":[\"echo\"],\"session_id\":" + v + "}", 400, "session_id"));
            cases.add(new Case("POST", base + id + "/stop", "{\"session_id\":" + v + "}", 400, "session_id"));
        }
        cases.add(new Case("POST", base + id + "/exec?session_id=bad%20id", "{\"argv\":[\"echo\"]}", 400, "session_id"));
        cases.add(new Case("POST", base + id + "/stop?session_id=" + "s".repeat(65), null, 400, "session_id"));
        Map<String, String> profiles = Map.of("null", "tool_profiles", "5", "tool_profiles", "[]", "tool_profiles",
                "{\"nope\":{}}", "tool_profile", "{\"locked\":5}", "tool_profiles.locked",
                "{\"locked\":{\"allowed_commands\":5}}", "locked.allowed_commands",
                "{\"locked\":{\"allowed_commands\":[\"echo\"],\"network_mode\":[]}}", "locked.network_mode",
                "{\"locked\":{}}", "locked.network_mode");
        profiles.forEach((v, names) -> cases.add(new Case("PUT", "/gateway/admin/policies", "{\"tool_profiles\":" + v + "}", 400,
                names)));
        for (String v : List.of("5", "[]", "{\"email\":\"maybe\"}", "{\"nope\":\"redact\"}", "{\"email\":5}")) {
            cases.add(new Case("PUT", "/gateway/admin/policies", "{\"tool_profiles\":"
                    + Json.write(PolicyJson.toMap(local.policies()).get("tool_profiles"))
                    + ",\"pii\":" + v + "}", 400, "pii"));
        }
        for (String q : List.of("state=nope", "limit=many", "limit=-1", "limit=0", "limit=1001", "limit=" + huge, "offset=-1",
                "offset=abc", "offset=" + huge, "limit=1&limit=1000", "limit=%FF")) {
            cases.add(new Case("GET", base + "?" + q, null, 400, q.substring(0, q.indexOf('='))));
        }
        for (String events : List.of(base + id + "/events", "/gateway/admin/events")) {
            for (String q : List.of("limit=abc", "limit=0", "limit=1001", "limit=-5", "limit=" + huge, "before=abc", "before=0",
                    "before=-1", "before=" + huge, "session_id=bad%21id", "since=yesterday", "until=2026-13-45",
                    "before=1&before=2")) {
                cases.add(new Case("GET", events + "?" + q, null, 400, q.substring(0, q.indexOf('='))));
            }
        }
        cases.add(new Case("GET", base + id + "/stream?after_seq=abc", null, 400, "after_seq"));
        cases.add(new Case("GET", "/gateway/admin/events/stream?after_seq=" + huge, null, 400, "after_seq"));
        for (String odd : List.of("bad%20id", "r".repeat(65), "runner_%00", "r%C3%BCnner", "a%2Fb", "runner_x%0Ay")) {
            for (String suffix : List.of("", "/start", "/exec?session_id=" + s, "/stop?session_id=" + s, "/terminate", "/events")) {
                String method = suffix.isEmpty() || suffix.equals("/events") ? "GET" : "POST";
                cases.add(new Case(method, base + odd + suffix, method.equals("POST") ? "{\"argv\":[\"echo\"]}" : null, 400,
                        "runner_id"));
            }
        }
        for (String index : List.of("abc", "0", "-1", huge)) {
            cases.add(new Case("GET", base + id + "/sessions/" + s + "/recordings/" + index, null, 400, "index"));
        }
        cases.add(new Case("GET", base + id + "/sessions/bad%20id/recordings/1", null, 400, "session_id"));
        for (String name : List.of("..%2F..%2Fetc%2Fpasswd", "a.png.exe", "x".repeat(200) + ".png")) {
            cases.add(new Case("GET", base + id + "/screenshots/" + name, null, 400, "name"));
        }

        for (Case c : cases) {
            String context = c.method() + " " + c.path().substring(0, Math.min(120, c.path().length())) + " "
                    + (c.body() == null ? "" : c.body().substring(0, Math.min(80, c.body().length())));
            Answer a = send(c.method(), c.path(), admin, c.body());
            Map<String, Object> error = assertJsonError(a, c.status(), context);
            String said = (error.get("field") + " " + error.get("message")).toLowerCase(Locale.ROOT);
            assertTrue(said.contains(c.names().toLowerCase(Locale.ROOT)), context + " must name " + c.names() + ": " + error);
            assertTrue(a.body().length() < 2_000, context + ": an answer does not grow with the input: " + a.body().length());
        }
        assertEquals(2, local.list(RunnerQuery.firstPage()).total(), "no malformed create made a runner");
    }

    @Test
    void anArgvElementOverTheLimitIsRefusedBeforeItRunsAndNamesNoHostPath() throws Exception {
        startDefault();
        Live live = live(ToolProfile.FULL_VM_TOOLS);
        String body = Json.write(Map.of("argv", List.of("echo", "x".repeat(130 * 1024))));
        Map<String, Object> error = assertJsonError(send("POST", "/gateway/admin/runners/" + live.runnerId() + "/exec?session_id="
                + live.sessionId(), admin, body), 400, "130 KiB argument");
        assertEquals("argv", error.get("field"));
        assertTrue(String.valueOf(error.get("message")).contains("argv[1]"), error.toString());
        assertFalse(String.valueOf(error.get("message")).contains("/"), error.toString());
    }

    /** What the JDK's server hands to the handler is answered as JSON; see README for what it answers itself. */
    @Test
    void protocolOddsThatReachTheServerAreJsonErrors() throws Exception {
        startDefault();
        String unknownMethod = raw("FOO /gateway/admin/runners/ HTTP/1.1\r\nHost: x\r\nX-CM-API-Key: " + admin
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(unknownMethod.startsWith("HTTP/1.1 405"), unknownMethod);
        assertTrue(unknownMethod.contains("\"code\":\"method_not_allowed\""), unknownMethod);

        String longTarget = raw("GET /gateway/admin/runners/?q=" + "x".repeat(HttpCall.MAX_TARGET_CHARS)
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(longTarget.startsWith("HTTP/1.1 414"), longTarget);
        assertTrue(longTarget.contains("\"code\":\"uri_too_long\""), longTarget);

        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            headers.append("X-Filler-").append(i).append(": ").append("y".repeat(HttpCall.MAX_HEADER_CHARS / 8)).append("\r\n");
        }
        String bigHeaders = raw("GET /gateway/admin/runners/ HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n");
        assertTrue(bigHeaders.startsWith("HTTP/1.1 431"), bigHeaders);
        assertTrue(bigHeaders.contains("\"code\":\"headers_too_large\""), bigHeaders);

        String chunk = Integer.toHexString(HttpCall.MAX_BODY_BYTES + 1) + "\r\n" + "z".repeat(HttpCall.MAX_BODY_BYTES + 1)
                + "\r\n0\r\n\r\n";
        String chunked = raw("POST /gateway/admin/runners/ HTTP/1.1\r\nHost: x\r\nX-CM-API-Key: " + admin
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunk);
        assertTrue(chunked.startsWith("HTTP/1.1 413"), chunked.substring(0, Math.min(200, chunked.length())));
        assertTrue(chunked.contains("\"code\":\"payload_too_large\""));
    }

    /** One raw HTTP/1.1 exchange; the whole answer as text (the server closes the connection). */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException ignored) {
                    // the server may answer and close before it read everything
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    answer.write(buf, 0, n);
                }
            } catch (SocketException reset) {
                // a reset after the answer, since the request was not read to its end
            }
            writing.cancel(true);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    // --- break 9: no secret reaches an event through a free-text field ---

    @Test
    void secretsInImageRefsDeniedPathsAndDeniedArgvAreNeverStoredInEvents() throws Exception {
        startDefault();
        List<String> secrets = List.of(EMAIL, CARD, AWS_KEY);
        for (String secret : secrets) {
            Answer created = send("POST", "/gateway/admin/runners/", admin,
                    "{\"provider_type\":\"fake\",\"image_ref\":\"registry.example.com/app:" + secret + "\"}");
            assertEquals(201, created.status(), created.body());
            assertJsonError(send("GET", "/gateway/admin/runners/" + secret, null, (byte[]) null), 401, "no key");
        }
        Live live = live(ToolProfile.LOCKED);
        Answer denied = send("POST", "/gateway/admin/runners/" + live.runnerId() + "/exec?session_id=" + live.sessionId(), admin,
                Json.write(Map.of("argv", List.of("python3", "-c", "print('" + EMAIL + " " + CARD + " " + AWS_KEY + "')"))));
        assertJsonError(denied, 403, "command outside the profile");

        stop();
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(data)) {
            List<AuditEvent> all = events(reopened);
            assertTrue(all.stream().anyMatch(e -> e.eventType().equals(EventTypes.COMMAND_DENIED)));
            assertTrue(all.stream().anyMatch(e -> String.valueOf(e.data().get("image_ref")).contains("[REDACTED:")));
            String stored = Json.write(all.stream().map(AuditEvent::data).toList());
            for (String secret : secrets) {
                assertFalse(stored.contains(secret), secret + " was stored in an event: " + stored);
            }
            assertTrue(reopened.verifyAuditChain().isVerified(), "the chain is of what was stored");
        }
    }

    @Test
    void aBlockingDetectorWithholdsTheWholeValueButTheEventIsStillWritten() throws Exception {
        startDefault();
        RunnerService local = runtime.serviceFor(Principal.localUser());
        Policies policies = local.policies();
        local.updatePolicies(policies.withPii(policies.pii().with(PiiDetector.CREDIT_CARD, PiiAction.BLOCK)));
        Answer created = send("POST", "/gateway/admin/runners/", admin,
                "{\"provider_type\":\"fake\",\"image_ref\":\"registry.example.com/app:" + CARD + "\"}");
        assertEquals(201, created.status(), created.body());
        String runnerId = (String) Json.readObject(created.body()).get("runner_id");
        AuditEvent event = local.events(EventQuery.ofRunner(runnerId, 10)).events().stream()
                .filter(e -> e.eventType().equals(EventTypes.RUNNER_CREATED)).findFirst().orElseThrow();
        assertEquals("[WITHHELD:credit_card]", event.data().get("image_ref"));
        assertEquals("fake", event.data().get("provider_type"), "the rest of the event is kept");
    }
}
