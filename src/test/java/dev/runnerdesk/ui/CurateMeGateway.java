package dev.runnerdesk.ui;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway with only the Curate-Me runner routes — list, get, one runner's events page and its SSE stream — and none
 * of RunnerDesk's own (all-runner events and their stream, policies, audit, members, providers, {@code /v1/admin/me}
 * answer 404). Runners and events are what the test puts in; a runner's stream is a real open stream that sends each
 * new event of it as it is added. Counts every request by path and the streams open now.
 */
public final class CurateMeGateway implements AutoCloseable {
    public final MockWebServer server = new MockWebServer();
    /** Every path asked, in order. */
    public final List<String> asked = new CopyOnWriteArrayList<>();
    /** The per-runner streams open now. */
    public final AtomicInteger openStreams = new AtomicInteger();
    private final Map<String, AtomicInteger> openStreamsOf = new ConcurrentHashMap<>();
    private final Map<String, String> runners = new ConcurrentHashMap<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** While set, every request answers 503 and the open streams end, as a gateway that went down would. */
    public volatile boolean failing;

    private record Event(long seq, String runnerId, String json) {
    }

    public CurateMeGateway() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start(0);
    }

    public String url() {
        return server.url("/").toString();
    }

    /** Puts a runner in {@code state} (a new one, or a change of one), with its active session when given. */
    public void runner(String runnerId, String state, String activeSession) {
        runners.put(runnerId, "{\"runner_id\":\"" + runnerId + "\",\"state\":\"" + state + "\",\"provider_type\":\"fake\","
                + "\"tool_profile\":\"locked\",\"ttl_seconds\":3600,\"created_at\":\"2026-01-01T00:00:00Z\""
                + (activeSession == null ? "" : ",\"active_session\":{\"session_id\":\"" + activeSession + "\",\"state\":"
                + "\"active\",\"started_at\":\"2026-01-01T00:01:00Z\",\"expires_at\":\"2026-01-01T01:01:00Z\"}") + "}");
    }

    /** Adds an event of {@code runnerId}; the next seq of the whole trail. */
    public synchronized long event(String runnerId, String type) {
        long seq = events.size() + 1;
        events.add(new Event(seq, runnerId, "{\"seq\":" + seq + ",\"event_type\":\"" + type + "\",\"timestamp\":"
                + "\"2026-01-01T00:00:00Z\",\"runner_id\":\"" + runnerId + "\",\"actor\":\"someone\",\"data\":{},"
                + "\"prev_hash\":\"a\",\"hash\":\"b\"}"));
        notifyAll();
        return seq;
    }

    /** The streams of {@code runnerId} open now. */
    public int openStreamsOf(String runnerId) {
        return openStreamsOf.getOrDefault(runnerId, new AtomicInteger()).get();
    }

    /** How many requests asked for exactly {@code path}. */
    public long count(String path) {
        return asked.stream().filter(path::equals).count();
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        asked.add(path);
        if (failing) {
            return json(503, "{\"detail\":\"Service Unavailable\"}");
        }
        String runners = "/gateway/admin/runners/";
        if (path.equals(runners) || path.equals("/gateway/admin/runners")) {
            List<String> all = new ArrayList<>(this.runners.values());
            return json(200, "{\"runners\":[" + String.join(",", all) + "],\"total\":" + all.size() + "}");
        }
        if (!path.startsWith(runners)) {
            return notFound();
        }
        String[] parts = path.substring(runners.length()).split("/");
        String runner = this.runners.get(parts[0]);
        if (runner == null) {
            return notFound();
        }
        if (parts.length == 1) {
            return json(200, runner);
        }
        if (parts.length == 2 && parts[1].equals("events")) {
            String before = request.getUrl().queryParameter("before");
            String limit = request.getUrl().queryParameter("limit");
            List<Event> own = events.stream().filter(e -> e.runnerId.equals(parts[0]))
                    .filter(e -> before == null || e.seq < Long.parseLong(before))
                    .sorted(Comparator.comparingLong(Event::seq).reversed()).toList();
            long total = own.size();
            own = own.subList(0, Math.min(own.size(), limit == null ? 50 : Integer.parseInt(limit)));
            return json(200, "{\"runner_id\":\"" + parts[0] + "\",\"events\":[" + String.join(",", own.stream()
                    .map(Event::json).toList()) + "],\"total\":" + total + "}");
        }
        if (parts.length == 2 && parts[1].equals("stream")) {
            String last = request.getHeaders().get("Last-Event-ID");
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
                    .body(new Stream(parts[0], last == null ? -1 : Long.parseLong(last))).build();
        }
        return notFound();
    }

    /** One runner's events after a seq as they come, with a hello first; open until the client goes or the gateway closes. */
    private final class Stream implements MockResponseBody {
        private final String runnerId;
        private long after;

        Stream(String runnerId, long after) {
            this.runnerId = runnerId;
            this.after = after;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            openStreams.incrementAndGet();
            AtomicInteger mine = openStreamsOf.computeIfAbsent(runnerId, id -> new AtomicInteger());
            mine.incrementAndGet();
            try {
                synchronized (CurateMeGateway.this) {
                    if (after < 0) {
                        after = events.size();
                    }
                }
                sink.writeUtf8("event: hello\ndata: {\"last_seq\":" + after + "}\n\n").flush();
                while (!closed && !failing) {
                    List<Event> fresh;
                    synchronized (CurateMeGateway.this) {
                        fresh = events.stream().filter(e -> e.seq > after && e.runnerId.equals(runnerId)).toList();
                        if (fresh.isEmpty()) {
                            CurateMeGateway.this.wait(200);
                        }
                    }
                    for (Event e : fresh) {
                        sink.writeUtf8("id: " + e.seq + "\nevent: event\ndata: " + e.json + "\n\n");
                        after = e.seq;
                    }
                    // a comment line now and then: a client that has gone makes this write fail, which ends the stream
                    sink.writeUtf8(fresh.isEmpty() ? ": keep-alive\n\n" : "").flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                mine.decrementAndGet();
                openStreams.decrementAndGet();
            }
        }
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse notFound() {
        return json(404, "{\"detail\":\"Not Found\"}");
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        server.close();
    }
}
