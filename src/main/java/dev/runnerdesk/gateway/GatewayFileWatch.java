package dev.runnerdesk.gateway;

import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import okio.Okio;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A folder watch over serve's {@code …/files/watch} server-sent events: opened (and refused, with the gateway's error)
 * before {@link #open} returns, then read on a daemon thread of its own that hands each change to the listener. A
 * stream that ends without {@link Subscription#close()} (the runner ended, the connection dropped) ends the watch with
 * {@link FileWatchListener#onEnded}; no reconnect, since changes in between would be lost unseen — the listener lists
 * the folder again and watches anew.
 */
final class GatewayFileWatch implements Subscription {
    /** Serve sends a heartbeat every 15 s by default: three missed ones end the watch. */
    private static final long READ_TIMEOUT_SECONDS = 45;

    private final Call call;
    private final FileWatchListener listener;
    private volatile boolean closed;

    private final Consumer<Subscription> onClose;

    private GatewayFileWatch(Call call, FileWatchListener listener, Consumer<Subscription> onClose) {
        this.call = call;
        this.listener = listener;
        this.onClose = onClose;
    }

    static Subscription open(GatewayHttp http, Request request, FileWatchListener listener, Consumer<Subscription> onClose) {
        OkHttpClient client = http.client.newBuilder().readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).build();
        Call call = client.newCall(request);
        Response live;
        try {
            live = call.execute();
        } catch (IOException e) {
            throw http.ioError(e);
        }
        if (!live.isSuccessful()) {
            try (live) {
                throw GatewayHttp.errorOf(live, GatewayHttp.NotFoundMeans.FILE_ROUTE);
            }
        }
        GatewayFileWatch watch = new GatewayFileWatch(call, listener, onClose);
        Thread reader = new Thread(() -> watch.read(live), "runnerdesk-file-watch");
        reader.setDaemon(true);
        reader.start();
        return watch;
    }

    private void read(Response response) {
        RunnerException ended = null;
        try (response; BufferedSource source = Okio.buffer(BoundedRecords.events(response.body().source(),
                BoundedRecords.MAX_RECORD_BYTES, "file watch"))) {
            String event = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = source.readUtf8Line()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        ended = dispatch(event, data.toString());
                        if (ended != null) {
                            break;
                        }
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).stripLeading());
                }
            }
            if (ended == null) {
                ended = new RunnerException.Unavailable("the gateway ended the file watch");
            }
        } catch (IOException | RuntimeException e) {
            ended = e instanceof RunnerException re ? re : new RunnerException.Unavailable("the file watch's connection to"
                    + " the gateway broke: " + e.getMessage(), e);
        }
        if (!closed) {
            listener.onEnded(ended);
        }
    }

    /** Hands on one event; the error it ends with for {@code ended}, else null. */
    private RunnerException dispatch(String event, String data) {
        Map<String, Object> fields = GatewayHttp.parse(data);
        if (event.equals("ended")) {
            String message = fields.get("message") instanceof String m ? m : "the watch ended";
            return switch (String.valueOf(fields.get("code"))) {
                case "conflict" -> new RunnerException.Conflict(message);
                case "not_found" -> new RunnerException.NotFound(message);
                default -> new RunnerException.Unavailable(message);
            };
        }
        if (event.equals("change") && fields.get("path") instanceof String path
                && fields.get("change") instanceof String change) {
            try {
                listener.onChange(FileWatchListener.Change.valueOf(change.toUpperCase(Locale.ROOT)), path);
            } catch (IllegalArgumentException unknown) {
                listener.onChange(FileWatchListener.Change.RESCAN, path); // a kind of change of a newer gateway
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        call.cancel();
        onClose.accept(this);
    }
}
