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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Server-Sent Events: audit events ({@code id:} = seq, so {@code Last-Event-ID} resumes without loss) and
 * command output ({@code event: output}), with a heartbeat comment when idle. Each stream has its own
 * bounded queue; a client too slow to keep up is disconnected (it resumes from its last id) instead of
 * holding anyone else up.
 */
final class EventStreams extends SseRoute {
    private static final int QUEUE_FRAMES = 10_000;

    EventStreams(Duration heartbeat) {
        super(heartbeat);
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
            pump(call, frames, "connected " + call.requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void offer(BlockingQueue<String> frames, String frame) {
        if (!frames.offer(frame)) {
            // too slow: end this stream; the client reconnects with Last-Event-ID and loses no event
            frames.clear();
            frames.offer(CLOSE);
        }
    }
}
