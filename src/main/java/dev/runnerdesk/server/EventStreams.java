package dev.runnerdesk.server;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.OutputChunk;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.wire.WireFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server-Sent Events: audit events ({@code id:} = seq, so {@code Last-Event-ID} resumes without loss) and
 * command output ({@code event: output}), with a heartbeat comment when idle. Each stream has its own
 * bounded queue; a client too slow to keep up is disconnected (it resumes from its last id) instead of
 * holding anyone else up.
 */
final class EventStreams {
    private static final int QUEUE_FRAMES = 10_000;
    private static final String CLOSE = "\0close";

    private final Duration heartbeat;
    private final Set<BlockingQueue<String>> open = ConcurrentHashMap.newKeySet();

    EventStreams(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    void serve(HttpCall call, RunnerService service, Optional<String> runnerId, long afterSeq) throws IOException {
        BlockingQueue<String> frames = new ArrayBlockingQueue<>(QUEUE_FRAMES);
        EventListener listener = new EventListener() {
            @Override
            public void onSubscribed(long startSeq) {
                // tells the client where it stands, so a reconnect before any event still resumes without loss
                offer(frames, "id: " + startSeq + "\nevent: hello\ndata: {\"last_seq\":" + startSeq + "}\n\n");
            }

            @Override
            public void onEvent(AuditEvent event) {
                offer(frames, "id: " + event.seq() + "\nevent: " + event.eventType() + "\ndata: "
                        + Json.write(WireFormat.event(event)) + "\n\n");
            }

            @Override
            public void onOutput(OutputChunk chunk) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("runner_id", chunk.runnerId());
                data.put("session_id", chunk.sessionId());
                data.put("command_id", chunk.commandId());
                data.put("stream", chunk.stream() == OutputListener.Stream.STDOUT ? "stdout" : "stderr");
                data.put("data", chunk.data());
                offer(frames, "event: output\ndata: " + Json.write(data) + "\n\n");
            }
        };
        // subscribed before the headers go out: a client that saw the response misses nothing after it
        try (Subscription ignored = service.subscribe(runnerId, afterSeq, listener)) {
            open.add(frames);
            call.exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            call.exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            call.exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            call.exchange.sendResponseHeaders(200, 0);
            OutputStream out = call.exchange.getResponseBody();
            write(out, "retry: 2000\n: connected " + call.requestId + "\n\n");
            while (true) {
                String frame = frames.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (frame == null) {
                    write(out, ": heartbeat\n\n");
                } else if (frame.equals(CLOSE)) {
                    return;
                } else {
                    write(out, frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(frames);
        }
    }

    private static void offer(BlockingQueue<String> frames, String frame) {
        if (!frames.offer(frame)) {
            // too slow: end this stream; the client reconnects with Last-Event-ID and loses no event
            frames.clear();
            frames.offer(CLOSE);
        }
    }

    private static void write(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void closeAll() {
        for (BlockingQueue<String> frames : open) {
            frames.clear();
            frames.offer(CLOSE);
        }
    }
}
