package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.TerminalScreen;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the client does when the gateway misbehaves: each fault ends in the right typed error, in time. */
class GatewayFaultTest {
    private static final String KEY = "cm_sk_faulttest0123456789";
    private static final String RUNNER_JSON = "{\"runner_id\":\"runner_abc123def456\",\"state\":\"ready\",\"provider_type\":\"fake\","
            + "\"tool_profile\":\"locked\",\"ttl_seconds\":3600,\"created_at\":\"2026-01-01T00:00:00Z\"}";
    private MockWebServer server;
    private GatewayRunnerService client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(0);
        client = client(Duration.ofSeconds(2));
    }

    private GatewayRunnerService client(Duration readTimeout) {
        return new GatewayRunnerService(GatewayConnection.of(server.url("/").toString(), KEY, false,
                Duration.ofSeconds(2), readTimeout));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private void dispatch(Function<RecordedRequest, MockResponse> answer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
    }

    private static void assertReadable(RunnerException e) {
        assertFalse(e.getMessage().contains("com.fasterxml"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), "the key never appears in a message");
    }

    @Test
    void a404OnTheRunnerRoutesMeansTheBetaIsNotEnabled() {
        server.enqueue(json(404, "{\"detail\":\"Not Found\"}"));
        RunnerException e = assertThrows(RunnerException.BetaNotEnabled.class, () -> client.list(RunnerQuery.firstPage()));
        assertTrue(e.getMessage().contains("private beta"), e.getMessage());
        server.enqueue(json(404, "{\"detail\":\"Not Found\"}"));
        assertThrows(RunnerException.NotFound.class, () -> client.get("runner_000000000000"));
    }

    @Test
    void authErrorsAreTyped() {
        server.enqueue(json(401, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"unknown key\",\"request_id\":\"req_1\"}}"));
        RunnerException unauthorized = assertThrows(RunnerException.Unauthorized.class, () -> client.get("runner_abc123def456"));
        assertTrue(unauthorized.getMessage().contains("unknown key") && unauthorized.getMessage().contains("req_1"));
        assertReadable(unauthorized);
        server.enqueue(json(403, "{\"error\":{\"code\":\"forbidden\",\"message\":\"role viewer may not run commands\"}}"));
        assertThrows(RunnerException.Forbidden.class,
                () -> client.exec("runner_abc123def456", "sess_abc123def456", new ExecRequest(List.of("echo"))));
        server.enqueue(json(403, "{\"error\":{\"code\":\"policy_denied\",\"message\":\"the locked profile does not allow curl\"}}"));
        assertThrows(RunnerException.PolicyDenied.class,
                () -> client.exec("runner_abc123def456", "sess_abc123def456", new ExecRequest(List.of("curl"))));
    }

    @Test
    void aTerminalTheGatewayReportsIsNotReportedWhileThisClientCannotOpenOne() {
        server.enqueue(json(200, "{\"providers\":[{\"provider_type\":\"e2b\",\"available\":true,"
                + "\"interactive_terminal\":true}]}"));
        ProviderInfo e2b = client.providers().get(0);
        assertEquals(ProviderType.E2B, e2b.type());
        assertTrue(e2b.available());
        assertFalse(e2b.interactiveTerminal(), "the client has no terminal route: the capability would lie");
        assertThrows(RunnerException.Unavailable.class, () -> client.openTerminal("runner_abc123def456",
                "sess_abc123def456", new TerminalSize(80, 24), new TerminalScreen()));
    }

    @Test
    void a429CarriesItsRetryAfterAndIsNotRetried() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7").body("{}").build());
        RunnerException.RateLimited e = assertThrows(RunnerException.RateLimited.class, () -> client.list(RunnerQuery.firstPage()));
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
        assertTrue(e.getMessage().contains("7 s"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aGetIsRetriedAfterA500ButAnExecIsNot() {
        server.enqueue(json(500, "{\"detail\":\"boom\"}"));
        server.enqueue(json(200, "{\"runners\":[" + RUNNER_JSON + "],\"total\":1}"));
        assertEquals(1, client.list(RunnerQuery.firstPage()).runners().size());
        assertEquals(2, server.getRequestCount());

        server.enqueue(json(500, "{\"detail\":\"boom\"}"));
        server.enqueue(json(200, "{\"exit_code\":0,\"stdout\":\"fake output\"}"));
        RunnerException e = assertThrows(RunnerException.Unavailable.class,
                () -> client.exec("runner_abc123def456", "sess_abc123def456", new ExecRequest(List.of("echo"))));
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertEquals(3, server.getRequestCount(), "the exec was sent once");
    }

    @Test
    void aGetGivesUpAfterThreeAttempts() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(json(503, "{}"));
        }
        assertThrows(RunnerException.Unavailable.class, () -> client.get("runner_abc123def456"));
        assertEquals(GatewayHttp.MAX_ATTEMPTS, server.getRequestCount());
    }

    @Test
    void malformedJsonIsAnInvalidResponseNotATraceAndNotOffline() {
        server.enqueue(json(200, "{\"runner_id\": \"runner_abc"));
        RunnerException.BadAnswer get = assertThrows(RunnerException.BadAnswer.class, () -> client.get("runner_abc123def456"));
        assertTrue(get.getMessage().startsWith("the gateway sent an invalid response"), get.getMessage());
        assertFalse(get.mayHaveActed(), "a read acts on nothing");
        assertReadable(get);
        server.enqueue(json(200, "[1,2,3]"));
        RunnerException.BadAnswer terminate = assertThrows(RunnerException.BadAnswer.class,
                () -> client.terminate("runner_abc123def456"));
        assertTrue(terminate.mayHaveActed());
        assertTrue(terminate.getMessage().contains("may have been terminated"), terminate.getMessage());
        assertReadable(terminate);
    }

    @Test
    void aCreateWhoseAnswerIsUnreadableMayHaveHappenedAndIsNotSentAgain() {
        server.enqueue(json(201, "{\"runner_id\": 42"));
        RunnerException.BadAnswer e = assertThrows(RunnerException.BadAnswer.class, () -> client.create(
                new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600)));
        assertTrue(e.mayHaveActed());
        assertTrue(e.getMessage().contains("the runner may have been created"), e.getMessage());
        assertEquals(1, server.getRequestCount(), "sent once");
        assertReadable(e);
    }

    @Test
    void everyCallThatActsCarriesAnIdempotencyKeyAndACreateItsOwn() throws InterruptedException {
        server.enqueue(json(201, RUNNER_JSON));
        server.enqueue(json(201, RUNNER_JSON));
        server.enqueue(json(200, RUNNER_JSON));
        client.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600).withIdempotencyKey("dialog-7"));
        client.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        client.terminate("runner_abc123def456");
        assertEquals("dialog-7", server.takeRequest().getHeaders().get("Idempotency-Key"));
        String generated = server.takeRequest().getHeaders().get("Idempotency-Key");
        assertTrue(generated != null && generated.matches("[0-9a-f-]{36}"), generated);
        assertTrue(server.takeRequest().getHeaders().get("Idempotency-Key").matches("[0-9a-f-]{36}"));
    }

    @Test
    void aBodyCutMidwayIsAnInvalidResponse() {
        MockResponse cut = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"runner_id\":\"runner_abc123def456\",\"state\":\"ready\",\"provider_type\":\"fake\"" + " ".repeat(4096) + "}")
                .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
        server.enqueue(cut);
        RunnerException.BadAnswer e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(RunnerException.BadAnswer.class, () -> client.terminate("runner_abc123def456")));
        assertTrue(e.getMessage().contains("gateway"), e.getMessage());
        assertTrue(e.mayHaveActed());
        assertReadable(e);
    }

    @Test
    void aSlowGatewayTimesOutWithinTheLimit() {
        GatewayRunnerService impatient = client(Duration.ofMillis(400));
        server.enqueue(new MockResponse.Builder().code(200).body(RUNNER_JSON).headersDelay(5, TimeUnit.SECONDS).build());
        server.enqueue(new MockResponse.Builder().code(200).body(RUNNER_JSON).headersDelay(5, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        RunnerException.BadAnswer e = assertThrows(RunnerException.BadAnswer.class, () -> impatient.terminate("runner_abc123def456"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
        assertTrue(e.mayHaveActed(), "the request went out: whether it acted is unknown");
        assertTrue(millis < 3000, "gave up after " + millis + " ms");
        assertThrows(RunnerException.Unavailable.class, () -> impatient.get("runner_abc123def456"),
                "a read that times out is the gateway not answering");
        impatient.close();
    }

    @Test
    void aGatewayThatNeverAnswersIsGivenUpOnAtTheCallsDeadlineRetriesIncluded() {
        GatewayRunnerService bounded = new GatewayRunnerService(GatewayConnection.of(server.url("/").toString(), KEY, false,
                Duration.ofSeconds(2), Duration.ofSeconds(30)).withDeadline(Duration.ofSeconds(1)));
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(200).body(RUNNER_JSON).headersDelay(20, TimeUnit.SECONDS).build());
        }
        long start = System.nanoTime();
        assertThrows(RunnerException.Unavailable.class, () -> bounded.get("runner_abc123def456"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5_000, "one deadline for the call and its retries, not 3 × 30 s: " + millis + " ms");
        bounded.close();
        assertThrows(RunnerException.InvalidRequest.class, () -> GatewayConnection.of(server.url("/").toString(), KEY, false)
                .withDeadline(Duration.ofMinutes(11)));
    }

    @Test
    void aCallWhoseTaskIsCancelledIsAbortedAtOnceAndNotRetried() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(200).body(RUNNER_JSON).headersDelay(20, TimeUnit.SECONDS).build());
        }
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                client.get("runner_abc123def456");
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.start();
        server.takeRequest(); // the request is out, its answer 20 s away
        long start = System.nanoTime();
        caller.interrupt(); // what cancelling the task that runs it does
        caller.join(5_000);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(caller.isAlive(), "the call still runs 5 s after it was cancelled");
        assertTrue(millis < 2_000, "the aborted call ended after " + millis + " ms");
        assertInstanceOf(RunnerException.Unavailable.class, failure.get());
        assertTrue(failure.get().getMessage().contains("cancelled"), failure.get().getMessage());
        assertEquals(1, server.getRequestCount(), "a cancelled read is not tried again");
    }

    @Test
    void aCreateThatCannotConnectDidNothing() throws IOException {
        server.close();
        RunnerException e = assertThrows(RunnerException.Unavailable.class, () -> client.create(
                new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600)));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    }

    @Test
    void responsesAreReadTolerantly() {
        server.enqueue(json(200, "{\"id\":\"rnr_42\",\"status\":\"active\",\"provider\":\"e2b\",\"tool_profile\":\"full_vm_tools\","
                + "\"ttl_seconds\":600,\"created_at\":1767225600,\"unknown_field\":{\"nested\":true},"
                + "\"active_session\":{\"session_id\":\"s-1\",\"started_at\":\"2026-01-01T00:00:00\"}}"));
        Runner r = client.get("rnr_42");
        assertEquals("rnr_42", r.runnerId());
        assertEquals(RunnerState.RUNNING, r.state());
        assertEquals("2026-01-01T00:00:00Z", r.createdAt().toString());
        assertEquals(r.createdAt().plusSeconds(600), r.expiresAt(), "a missing expiry is created + ttl");
        assertEquals("s-1", r.activeSession().orElseThrow().sessionId());
        assertTrue(r.error().isEmpty());
    }

    @Test
    void keysAndUrlsAreCheckedBeforeAnythingIsSent() {
        var badKey = assertThrows(RunnerException.InvalidRequest.class,
                () -> GatewayConnection.of("https://gw.example.com", "sk-not-ours", false));
        assertEquals(Optional.of("api_key"), badKey.field());
        assertFalse(badKey.getMessage().contains("sk-not-ours"));
        var plain = assertThrows(RunnerException.InvalidRequest.class,
                () -> GatewayConnection.of("http://gw.example.com", KEY, false));
        assertTrue(plain.getMessage().contains("plain HTTP"), plain.getMessage());
        GatewayConnection.of("http://gw.example.com", KEY, true);
        GatewayConnection.of("http://localhost:8002", KEY, false);
        GatewayConnection.of("http://127.0.0.1:8002/", "cm_gw_x", false);
        assertThrows(RunnerException.InvalidRequest.class, () -> GatewayConnection.of("ftp://x", KEY, false));
        assertFalse(GatewayConnection.of("https://gw.example.com", KEY, false).toString().contains(KEY));
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void theKeyTravelsInTheHeader() throws InterruptedException {
        server.enqueue(json(200, RUNNER_JSON));
        client.get("runner_abc123def456");
        RecordedRequest request = server.takeRequest();
        assertEquals(KEY, request.getHeaders().get("X-CM-API-Key"));
        assertEquals("/gateway/admin/runners/runner_abc123def456", request.getUrl().encodedPath());
    }

    @Test
    void aStreamThatDropsIsResumedWithLastEventId() throws Exception {
        List<String> lastIds = new CopyOnWriteArrayList<>();
        dispatch(request -> {
            String path = request.getUrl().encodedPath();
            if (path.endsWith("/stream")) {
                lastIds.add(String.valueOf(request.getHeaders().get("Last-Event-ID")));
                String body = lastIds.size() == 1
                        ? "event: hello\nid: 10\ndata: {\"last_seq\":10}\n\n" + eventFrame(11)
                        : "event: hello\nid: 11\ndata: {\"last_seq\":11}\n\n" + eventFrame(12);
                // the first stream ends after one event, as a dropped connection would
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(body).build();
            }
            return json(200, RUNNER_JSON);
        });
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = client.subscribe(Optional.of("runner_abc123def456"), -1, seen(seen))) {
            Await.until(() -> seen.size() >= 2, Duration.ofSeconds(10), () -> "two events across the reconnect, got " + seen);
        }
        assertEquals(List.of(11L, 12L), seen.subList(0, 2));
        assertEquals("null", lastIds.get(0), "the first connection asks for only new events");
        assertEquals("11", lastIds.get(1), "the reconnect resumes after the last event seen");
    }

    @Test
    void withoutAStreamRouteTheClientPollsEvents() throws Exception {
        List<Integer> polls = new CopyOnWriteArrayList<>();
        dispatch(request -> {
            String path = request.getUrl().encodedPath();
            if (path.endsWith("/stream")) {
                return json(404, "{\"detail\":\"Not Found\"}");
            }
            if (path.endsWith("/events")) {
                polls.add(1);
                String events = polls.size() == 1 ? eventJson(5) : eventJson(6) + "," + eventJson(5);
                return json(200, "{\"events\":[" + events + "],\"total\":2}");
            }
            return json(200, RUNNER_JSON);
        });
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = client.subscribe(Optional.of("runner_abc123def456"), -1, seen(seen))) {
            Await.until(() -> !seen.isEmpty(), Duration.ofSeconds(10), "an event found by polling");
        }
        assertEquals(List.of(6L), seen, "the baseline (5) is not new; 6 is");
    }

    @Test
    void withoutTheAllEventsRouteTheTimelineIsMergedFromRunnersAndTheBetaIsNotDoubted() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        String second = RUNNER_JSON.replace("runner_abc123def456", "runner_000000000002");
        dispatch(request -> {
            String path = request.getUrl().encodedPath();
            asked.add(path);
            return switch (path) {
                case "/gateway/admin/events", "/gateway/admin/events/stream", "/gateway/admin/policies" ->
                        json(404, "{\"detail\":\"Not Found\"}");
                case "/gateway/admin/runners", "/gateway/admin/runners/" -> json(200, "{\"runners\":[" + RUNNER_JSON + "," + second + "],\"total\":2}");
                case "/gateway/admin/runners/runner_abc123def456/events" ->
                        json(200, "{\"events\":[" + eventJson(7) + "," + eventJson(3) + "],\"total\":2}");
                case "/gateway/admin/runners/runner_000000000002/events" ->
                        json(200, "{\"events\":[" + eventJson(9) + "," + eventJson(5) + "," + eventJson(1) + "],\"total\":3}");
                default -> json(404, "{\"detail\":\"Not Found\"}");
            };
        });
        EventPage page = client.events(EventQuery.all(4));
        assertEquals(List.of(9L, 7L, 5L, 3L), page.events().stream().map(AuditEvent::seq).toList(), "newest first, limited");
        assertEquals(5, page.total());
        client.events(EventQuery.all(4));
        assertEquals(1, asked.stream().filter(p -> p.matches("/gateway/admin/events/?")).count(), "the missing route is asked once");

        RunnerException policies = assertThrows(RunnerException.NotFound.class, client::policies);
        assertTrue(policies.getMessage().contains("no policy route"), policies.getMessage());

        // live: no stream and no events route — polled through the merged pages, never the missing route again
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = client.subscribe(Optional.empty(), 8, seen(seen))) {
            Await.until(() -> seen.contains(9L), Duration.ofSeconds(10), "the new event found by polling runners");
        }
        assertEquals(1, asked.stream().filter(p -> p.matches("/gateway/admin/events/?")).count());
    }

    @Test
    void aHugeAnswerIsRefusedUnreadAndAPageHoldsNoMoreThanAskedFor() {
        // 9 MiB of runners where 100 were asked for: refused as soon as it passes the limit, without a trace
        StringBuilder huge = new StringBuilder("{\"runners\":[");
        while (huge.length() < 9 * 1024 * 1024) {
            huge.append(RUNNER_JSON).append(',');
        }
        huge.append(RUNNER_JSON).append("],\"total\":1}");
        server.enqueue(json(200, huge.toString()));
        RunnerException.BadAnswer e = assertThrows(RunnerException.BadAnswer.class, () -> client.list(RunnerQuery.firstPage()));
        assertTrue(e.getMessage().contains("more than this client reads (8.0 MiB)"), e.getMessage());
        assertEquals(1, server.getRequestCount(), "not asked again: a retry would bring the same");

        StringBuilder many = new StringBuilder("{\"runners\":[" + RUNNER_JSON);
        for (int i = 0; i < 30; i++) {
            many.append(',').append(RUNNER_JSON);
        }
        server.enqueue(json(200, many.append("],\"total\":31}").toString()));
        RunnerPage page = client.list(new RunnerQuery(Optional.empty(), 10, 0));
        assertEquals(10, page.runners().size(), "no more rows than asked for");
        assertEquals(31, page.total());
    }

    private static EventListener seen(List<Long> seqs) {
        return new EventListener() {
            @Override
            public void onEvent(AuditEvent event) {
                seqs.add(event.seq());
            }
        };
    }

    private static String eventJson(long seq) {
        return "{\"seq\":" + seq + ",\"event_type\":\"command.executed\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"runner_id\":\"runner_abc123def456\",\"actor\":\"x\",\"data\":{},\"prev_hash\":\"a\",\"hash\":\"b\"}";
    }

    private static String eventFrame(long seq) {
        return "id: " + seq + "\nevent: command.executed\ndata: " + eventJson(seq) + "\n\n";
    }

    @Test
    void theRunnerStateSurvivesAnUnknownStatusOnlyAsAnInvalidResponse() {
        server.enqueue(json(200, RUNNER_JSON.replace("\"ready\"", "\"hibernating\"")));
        RunnerException e = assertThrows(RunnerException.BadAnswer.class, () -> client.get("runner_abc123def456"));
        assertTrue(e.getMessage().contains("hibernating"), e.getMessage());
    }
}
