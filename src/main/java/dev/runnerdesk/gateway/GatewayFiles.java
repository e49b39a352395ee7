package dev.runnerdesk.gateway;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException.Unavailable;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.wire.FileJson;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gateway client's workspace-file and metrics calls (issue 18), on the routes RunnerDesk's serve has under
 * {@code /gateway/admin/runners/{id}}. They are optional: a gateway without them (a 404 without serve's marker header,
 * for a runner that exists) is {@link Unavailable} saying so. Paths are checked here first, naming the field as the
 * service does. Downloads and uploads stream in 64 KiB chunks, never held whole; they have no deadline for the whole
 * transfer (a large file takes as long as it takes) but every read and write must move within the connection's read
 * timeout, and a cancelled task (an interrupt) aborts them. A download is retried only while nothing reached the
 * sink; an upload is sent once (its stream cannot be read twice).
 */
final class GatewayFiles {
    static final String NO_FILE_ROUTES = "this gateway has no file routes: its runners' workspace files and metrics "
            + "are reached through RunnerDesk's own gateway (runnerdesk serve) or the desktop app's embedded runtime";
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    /** A listing of tens of thousands of entries stays below it. */
    private static final long MAX_LISTING_BYTES = 64L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final GatewayHttp http;
    private final Function<String, String> runnerPath;
    private final Consumer<String> runnerExists;

    /** {@code runnerExists} throws NotFound for a runner the gateway does not know (it tells the two 404s apart). */
    GatewayFiles(GatewayHttp http, Function<String, String> runnerPath, Consumer<String> runnerExists) {
        this.http = http;
        this.runnerPath = runnerPath;
        this.runnerExists = runnerExists;
    }

    List<FileEntry> list(String runnerId, String folder) {
        WorkspacePath.parse("folder", folder);
        Request request = http.request(http.url(files(runnerId), Map.of("path", folder))).get().build();
        Map<String, Object> body = routed(runnerId, () -> http.execute(request, true, GatewayHttp.NotFoundMeans.FILE_ROUTE,
                null, response -> GatewayHttp.parse(new String(GatewayHttp.readBounded(response.body(), MAX_LISTING_BYTES,
                        "listing"), StandardCharsets.UTF_8))));
        List<FileEntry> entries = new ArrayList<>();
        for (Map<String, Object> item : GatewayResponses.items(body, "entries")) {
            entries.add(readable(() -> FileJson.readEntry(item)));
        }
        return entries;
    }

    FileEntry stat(String runnerId, String path) {
        WorkspacePath.parse("path", path);
        return readable(() -> FileJson.readEntry(routed(runnerId, () -> http.get(files(runnerId) + "/stat", Map.of("path", path),
                GatewayHttp.NotFoundMeans.FILE_ROUTE))));
    }

    FileEntry read(String runnerId, String path, long offset, long length, OutputStream sink) {
        WorkspacePath parsed = WorkspacePath.parse("path", path);
        if (offset < 0) {
            throw new InvalidRequest("offset", "offset must be 0 or more, got " + offset);
        }
        if (length < -1) {
            throw new InvalidRequest("length", "length must be 0 or more (or -1: to the end), got " + length);
        }
        Objects.requireNonNull(sink, "sink");
        Map<String, String> query = new LinkedHashMap<>();
        query.put("path", path);
        query.put("offset", Long.toString(offset));
        query.put("length", Long.toString(length));
        Request request = http.request(http.url(files(runnerId) + "/content", query)).header("Accept", "application/octet-stream")
                .get().build();
        long[] sent = {0};
        return routed(runnerId, () -> http.execute(request, true, GatewayHttp.NotFoundMeans.FILE_ROUTE,
                GatewayHttp.PER_READ_ONLY, response -> {
                    try {
                        BufferedSource source = response.body().source();
                        byte[] buf = new byte[CHUNK];
                        int n;
                        // whole chunks to the sink (the socket hands over 8 KiB at a time): a file sink then writes
                        // 64 KiB per call instead of eight times as many small writes
                        while ((n = source.inputStream().readNBytes(buf, 0, buf.length)) > 0) {
                            sink.write(buf, 0, n);
                            sent[0] += n;
                        }
                    } catch (IOException e) {
                        if (sent[0] == 0) {
                            throw new GatewayHttp.UncheckedIOException(e); // nothing delivered: may be tried again
                        }
                        throw new Unavailable("the download of " + parsed + " broke off after " + sent[0] + " bytes: "
                                + http.ioError(e).getMessage(), e);
                    }
                    return entryOf(response, parsed, sent[0]);
                }));
    }

    /** The entry serve describes in headers with the bytes; what was received where a gateway does not. */
    private static FileEntry entryOf(Response response, WorkspacePath path, long received) {
        try {
            FileEntry.Kind kind = FileEntry.Kind.fromWire(Optional.ofNullable(response.header("RunnerDesk-File-Kind")).orElse("file"));
            long size = Optional.ofNullable(response.header("RunnerDesk-File-Size")).map(Long::parseLong).orElse(received);
            int mode = Optional.ofNullable(response.header("RunnerDesk-File-Mode")).map(Integer::parseInt).orElse(0);
            Instant modified = Optional.ofNullable(response.header("RunnerDesk-File-Modified")).map(Instant::parse)
                    .orElse(Instant.EPOCH);
            return new FileEntry(path.relative(), path.name(), kind, Math.max(0, size), mode, modified, Optional.empty());
        } catch (RuntimeException unreadable) {
            return new FileEntry(path.relative(), path.name(), FileEntry.Kind.FILE, received, 0, Instant.EPOCH, Optional.empty());
        }
    }

    /** An {@link IOException} of the stream being uploaded, not of the connection. */
    private static final class ContentFailed extends IOException {
        ContentFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    FileEntry write(String runnerId, String path, InputStream content) {
        WorkspacePath parsed = WorkspacePath.parse("path", path);
        Objects.requireNonNull(content, "content");
        RequestBody body = new RequestBody() {
            @Override
            public MediaType contentType() {
                return OCTETS;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                byte[] buf = new byte[CHUNK];
                while (true) {
                    int n;
                    try {
                        n = content.read(buf);
                    } catch (IOException e) {
                        throw new ContentFailed(e);
                    }
                    if (n == -1) {
                        return;
                    }
                    sink.write(buf, 0, n);
                }
            }
        };
        Request request = http.request(http.url(files(runnerId) + "/content", Map.of("path", path))).put(body).build();
        try {
            return readable(() -> FileJson.readEntry(routed(runnerId, () -> http.execute(request, false,
                    GatewayHttp.NotFoundMeans.FILE_ROUTE, GatewayHttp.PER_READ_ONLY, response -> GatewayHttp.readJson(response.body())))));
        } catch (RunnerException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof ContentFailed failed) {
                    throw new Unavailable("reading what to upload to " + parsed + " failed: " + failed.getMessage()
                            + "; the gateway keeps no part of it", failed);
                }
            }
            if (e instanceof RunnerException.BadAnswer bad && bad.mayHaveActed()) {
                throw new RunnerException.BadAnswer(e.getMessage() + "; the file may have been written: look at "
                        + parsed + " before uploading it again", true, e);
            }
            throw e;
        }
    }

    FileEntry makeFolder(String runnerId, String path) {
        WorkspacePath.parse("path", path);
        return acting(runnerId, "/folders", Map.of("path", path));
    }

    FileEntry move(String runnerId, String from, String to) {
        WorkspacePath.parse("from", from);
        WorkspacePath.parse("to", to);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        return acting(runnerId, "/move", body);
    }

    void delete(String runnerId, String path, boolean recursive) {
        WorkspacePath.parse("path", path);
        Request request = GatewayHttp.acting(http.request(http.url(files(runnerId), Map.of("path", path,
                "recursive", Boolean.toString(recursive)))), Optional.empty()).delete().build();
        routed(runnerId, () -> http.send(request, false, GatewayHttp.NotFoundMeans.FILE_ROUTE, null));
    }

    /** {@code onClose} hears the watch's close (the service forgets it). */
    Subscription watch(String runnerId, String folder, FileWatchListener listener, Consumer<Subscription> onClose) {
        WorkspacePath.parse("folder", folder);
        Objects.requireNonNull(listener, "listener");
        Request request = http.request(http.url(files(runnerId) + "/watch", Map.of("path", folder)))
                .header("Accept", "text/event-stream").get().build();
        return routed(runnerId, () -> GatewayFileWatch.open(http, request, listener, onClose));
    }

    List<MetricsSample> metrics(String runnerId, Instant since) {
        Objects.requireNonNull(since, "since");
        Map<String, Object> body = routed(runnerId, () -> http.get(runnerPath.apply(runnerId) + "/metrics",
                Map.of("since", since.toString()), GatewayHttp.NotFoundMeans.FILE_ROUTE));
        List<MetricsSample> samples = new ArrayList<>();
        for (Map<String, Object> item : GatewayResponses.items(body, "samples")) {
            samples.add(readable(() -> FileJson.readSample(item)));
        }
        return samples;
    }

    private FileEntry acting(String runnerId, String route, Map<String, ?> body) {
        return readable(() -> FileJson.readEntry(routed(runnerId, () -> http.post(files(runnerId) + route, Map.of(), body,
                GatewayHttp.NotFoundMeans.FILE_ROUTE, null))));
    }

    private String files(String runnerId) {
        return runnerPath.apply(runnerId) + "/files";
    }

    /** The call; a gateway without the route is Unavailable saying so, once the runner is known to exist. */
    private <T> T routed(String runnerId, Supplier<T> call) {
        try {
            return call.get();
        } catch (Unavailable e) {
            if (e.getCause() instanceof GatewayHttp.NoRoute) {
                runnerExists.accept(runnerId); // NotFound when it is the runner that is missing
                throw new Unavailable(NO_FILE_ROUTES, e);
            }
            throw e;
        }
    }

    private static <T> T readable(Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw GatewayHttp.invalidResponse("a workspace entry or sample: " + e.getMessage());
        }
    }
}
