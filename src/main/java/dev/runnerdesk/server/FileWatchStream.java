package dev.runnerdesk.server;

import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.wire.Json;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * {@code GET …/files/watch?path=}: a folder's changes as server-sent events, {@code event: change} with
 * {@code {"change":"created","path":"src/a.py"}}, and {@code event: ended} with the error's code and message when the
 * watch ends by itself (the runner ended). A client too slow to keep up gets one {@code rescan} change instead of the
 * ones it missed (list the folder again), so no stream holds the watcher's thread up. A heartbeat comment when idle.
 */
final class FileWatchStream extends SseRoute {
    private static final int QUEUE_FRAMES = 1_000;

    FileWatchStream(Duration heartbeat) {
        super(heartbeat);
    }

    void serve(HttpCall call, RunnerService service, String runnerId, String folder) throws IOException {
        BlockingQueue<String> frames = new ArrayBlockingQueue<>(QUEUE_FRAMES);
        FileWatchListener listener = new FileWatchListener() {
            @Override
            public void onChange(Change change, String path) {
                offer(frames, change(change, path));
            }

            @Override
            public void onEnded(RunnerException why) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("code", why.code());
                data.put("message", why.getMessage());
                frames.offer("event: ended\ndata: " + Json.write(data) + "\n\n");
                frames.offer(CLOSE);
            }
        };
        // watching before the headers go out: a refusal or an unknown folder keeps its status and error body
        try (Subscription ignored = service.watchFiles(runnerId, folder, listener)) {
            pump(call, frames, "watching " + call.requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String change(FileWatchListener.Change change, String path) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("change", change.name().toLowerCase(Locale.ROOT));
        data.put("path", path);
        return "event: change\ndata: " + Json.write(data) + "\n\n";
    }

    private static void offer(BlockingQueue<String> frames, String frame) {
        if (!frames.offer(frame)) {
            // too slow: what it missed is one "list again"
            frames.clear();
            frames.offer(change(FileWatchListener.Change.RESCAN, ""));
        }
    }
}
