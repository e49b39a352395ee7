package dev.runnerdesk.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What every server-sent-events route shares: the headers (no caching, no proxy buffering), a first comment, then
 * each frame its listener queues as it comes and a heartbeat comment when none does, until the stream is closed —
 * by its route (a {@link #CLOSE} frame), the client going away, or the server stopping ({@link #closeAll}).
 */
abstract class SseRoute {
    /** Queued to end a stream. */
    static final String CLOSE = "\0close";

    private final Duration heartbeat;
    private final Set<BlockingQueue<String>> open = ConcurrentHashMap.newKeySet();

    SseRoute(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** Answers {@code call} with the frames of {@code frames} until one is {@link #CLOSE}; {@code hello} is the first comment. */
    final void pump(HttpCall call, BlockingQueue<String> frames, String hello) throws IOException, InterruptedException {
        open.add(frames);
        try {
            call.exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            call.exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            call.startStream(200, "text/event-stream; charset=utf-8", 0);
            OutputStream out = call.exchange.getResponseBody();
            write(out, "retry: 2000\n: " + hello + "\n\n");
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
        } finally {
            open.remove(frames);
        }
    }

    private static void write(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends every open stream of this route (the server stops). */
    final void closeAll() {
        for (BlockingQueue<String> frames : open) {
            frames.clear();
            frames.offer(CLOSE);
        }
    }
}
