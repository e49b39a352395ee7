package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.testutil.Await;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the client sends and reads is bounded whatever the gateway (or a hostile id in its answers) does: an id is
 * one path segment, never a way to another route; a stream's line or event is never endless.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GatewayInputBoundsTest {
    private static final String KEY = "cm_sk_boundstest0123456789";
    private static final String RUNNER_JSON = "{\"runner_id\":\"runner_abc123def456\",\"state\":\"ready\",\"provider_type\":\"fake\","
            + "\"tool_profile\":\"locked\",\"ttl_seconds\":3600,\"created_at\":\"2026-01-01T00:00:00Z\"}";
    /** More than the 8 MiB a record may hold. */
    private static final String ENDLESS = "x".repeat(9 * 1024 * 1024);
    private MockWebServer server;
    private GatewayRunnerService client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(0);
        client = new GatewayRunnerService(GatewayConnection.of(server.url("/").toString(), KEY, false,
                Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private void dispatch(Function<RecordedRequest, MockResponse> answer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
    }

    @Test
    void anIdIsOnePathSegmentAndNothingElse() {
        for (String id : List.of("..", ".", "runner/../x", "a?b", "a#b", "a%2e", "a b", "a\u001b[2Jb", "x".repeat(201), "é")) {
            RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class, () -> client.terminate(id), id);
            assertEquals(Optional.of("runner_id"), e.field());
            assertFalse(e.getMessage().contains("\u001b"), "a control character is never echoed: " + e.getMessage());
            assertThrows(RunnerException.InvalidRequest.class, () -> client.get(id), id);
            assertThrows(RunnerException.InvalidRequest.class, () -> client.stopSession("runner_abc123def456", id), id);
        }
        assertEquals(0, server.getRequestCount(), "nothing is sent for an id that is not one");
    }

    @Test
    void anEndlessOutputLineIsAnUnreadableAnswerNotAFullMemory() {
        dispatch(request -> new MockResponse.Builder().code(200).setHeader("Content-Type", "application/x-ndjson")
                .body("{\"type\":\"output\",\"stream\":\"stdout\",\"data\":\"" + ENDLESS).build());
        List<String> output = new CopyOnWriteArrayList<>();
        RunnerException.BadAnswer e = assertThrows(RunnerException.BadAnswer.class, () -> client.exec("runner_abc123def456",
                "sess_abc123def456", new ExecRequest(List.of("true"), 30), (stream, text) -> output.add(text)));
        assertTrue(e.getMessage().contains("longer than 8 MiB"), e.getMessage());
        assertTrue(e.mayHaveActed(), "the command may have run: its outcome is unknown");
        assertTrue(output.isEmpty(), "nothing of the endless line is delivered");
    }

    @Test
    void anEndlessEventIsDroppedAndTheStreamReconnects() {
        AtomicInteger streams = new AtomicInteger();
        dispatch(request -> {
            if (!request.getUrl().encodedPath().endsWith("/stream")) {
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(RUNNER_JSON).build();
            }
            String body = streams.incrementAndGet() == 1
                    ? "event: hello\nid: 10\ndata: {\"last_seq\":10}\n\nid: 11\nevent: command.executed\ndata: " + ENDLESS
                    : "event: hello\nid: 10\ndata: {\"last_seq\":10}\n\n" + frame(12);
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(body).build();
        });
        List<Long> seen = new CopyOnWriteArrayList<>();
        EventListener listener = new EventListener() {
            @Override
            public void onEvent(AuditEvent event) {
                seen.add(event.seq());
            }
        };
        try (Subscription ignored = client.subscribe(Optional.of("runner_abc123def456"), -1, listener)) {
            Await.until(() -> !seen.isEmpty(), Duration.ofSeconds(30), () -> "an event after the endless one, streams " + streams);
        }
        assertEquals(List.of(12L), seen);
        assertTrue(streams.get() >= 2, "the stream was opened again after the endless event");
    }

    /** Many data lines without the blank line that ends an event are one endless event too. */
    @Test
    void anEventOfEndlessDataLinesIsBoundedToo() throws IOException {
        String lines = "data: " + "y".repeat(1000) + "\n";
        okio.Buffer in = new okio.Buffer().writeUtf8(lines.repeat(9 * 1024 + 100));
        okio.BufferedSource bounded = okio.Okio.buffer(BoundedRecords.events(in, BoundedRecords.MAX_RECORD_BYTES, "event stream"));
        IOException e = assertThrows(IOException.class, () -> bounded.readByteArray());
        assertTrue(e.getMessage().contains("longer than 8 MiB"), e.getMessage());
        okio.BufferedSource fine = okio.Okio.buffer(BoundedRecords.events(new okio.Buffer().writeUtf8((lines + "\n").repeat(20_000)),
                BoundedRecords.MAX_RECORD_BYTES, "event stream"));
        assertEquals((lines.length() + 1) * 20_000L, fine.readByteArray().length, "events that end are read whatever their number");
    }

    private static String frame(long seq) {
        return "id: " + seq + "\nevent: command.executed\ndata: {\"seq\":" + seq + ",\"event_type\":\"command.executed\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"runner_id\":\"runner_abc123def456\",\"actor\":\"x\",\"data\":{},"
                + "\"prev_hash\":\"a\",\"hash\":\"b\"}\n\n";
    }
}
