package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.core.InterruptWatch;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.wire.Json;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One sandbox's files as envd serves them, by absolute paths in the sandbox: the {@code filesystem.Filesystem}
 * Connect service ({@code Stat}, {@code ListDir} depth 1, {@code MakeDir}, {@code Move}, {@code Remove}, and
 * {@code WatchDir} as a server stream) and the {@code /files} routes (download with a {@code Range} header, upload
 * as {@code multipart/form-data}), each with the sandbox's access token. Bytes go through in {@value #CHUNK}-byte
 * pieces, never a whole file in memory. No confinement here: that is {@link E2bWorkspaceFiles}'.
 */
final class EnvdFiles {
    /** The most bytes read or written at once, both ways. */
    static final int CHUNK = 64 * 1024;
    private static final MediaType CONNECT_JSON = MediaType.get("application/connect+json");
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    private final Envd envd;

    EnvdFiles(Envd envd) {
        this.envd = envd;
    }

    String sandboxId() {
        return envd.sandboxId();
    }

    /** An entry's kind as envd says it ({@code FileType}; a symlink's is often its target's, see {@link Entry}). */
    enum Type {
        FILE, DIRECTORY, SYMLINK, UNKNOWN;

        static Type of(JsonNode type) {
            String t = type.isNumber() ? switch (type.asInt()) {
                case 1 -> "FILE_TYPE_FILE";
                case 2 -> "FILE_TYPE_DIRECTORY";
                case 3 -> "FILE_TYPE_SYMLINK";
                default -> "";
            } : type.asText("");
            return switch (t) {
                case "FILE_TYPE_FILE" -> FILE;
                case "FILE_TYPE_DIRECTORY" -> DIRECTORY;
                case "FILE_TYPE_SYMLINK" -> SYMLINK;
                default -> UNKNOWN;
            };
        }
    }

    /**
     * An {@code EntryInfo}. envd stats without following a final link and, for a symlink, sets
     * {@code symlinkTarget} to the link fully resolved (an absolute path; the link's own path when it leads nowhere)
     * and {@code type} to its target's; older envds say {@code FILE_TYPE_SYMLINK} instead, or (resolving the request's
     * path first) describe the target under its resolved {@code path}. {@link #leadsTo} covers all three.
     */
    record Entry(String name, Type type, String path, long size, int mode, Instant modified, Optional<String> symlinkTarget) {
        boolean isSymlink() {
            return symlinkTarget.isPresent() || type == Type.SYMLINK;
        }

        /** Where asking for {@code asked} really led, when that is not {@code asked} itself. */
        Optional<String> leadsTo(String asked) {
            if (symlinkTarget.isPresent()) {
                return symlinkTarget;
            }
            if (type == Type.SYMLINK) {
                return Optional.of(asked); // a link, target not said: treated as one that leads nowhere checkable
            }
            return path.isEmpty() || path.equals(asked) ? Optional.empty() : Optional.of(path);
        }

        static Entry of(JsonNode e) {
            Instant modified = Instant.EPOCH;
            String time = field(e, "modifiedTime", "modified_time").asText("");
            if (!time.isEmpty()) {
                try {
                    modified = Instant.parse(time);
                } catch (DateTimeParseException ignored) {
                    // left at the epoch: a listing is still worth showing
                }
            }
            JsonNode target = field(e, "symlinkTarget", "symlink_target");
            return new Entry(e.path("name").asText(""), Type.of(e.path("type")), e.path("path").asText(""),
                    Math.max(0, e.path("size").asLong(0)), e.path("mode").asInt(0) & 07777, modified,
                    target.isTextual() ? Optional.of(target.asText()) : Optional.empty());
        }

        private static JsonNode field(JsonNode e, String camel, String snake) {
            return e.has(camel) ? e.get(camel) : e.path(snake);
        }
    }

    Entry stat(String path) {
        return Entry.of(envd.call("filesystem.Filesystem/Stat", Map.of("path", path), "looking at " + path).path("entry"));
    }

    List<Entry> list(String folder) {
        JsonNode answer = envd.call("filesystem.Filesystem/ListDir", Map.of("path", folder, "depth", 1), "listing " + folder);
        List<Entry> entries = new ArrayList<>();
        answer.path("entries").forEach(e -> entries.add(Entry.of(e)));
        return entries;
    }

    /** Makes the folder and those on the way; an existing folder is envd's {@code already_exists} (Conflict). */
    void makeDir(String path) {
        envd.call("filesystem.Filesystem/MakeDir", Map.of("path", path), "making folder " + path);
    }

    /** {@code rename(2)}: an existing file at {@code to} is replaced in one step; folders on the way are made. */
    void move(String from, String to) {
        envd.call("filesystem.Filesystem/Move", Map.of("source", from, "destination", to), "moving " + from);
    }

    /** Removes a file, a link or a whole folder ({@code os.RemoveAll}: no error when nothing is there). */
    void remove(String path) {
        envd.call("filesystem.Filesystem/Remove", Map.of("path", path), "removing " + path);
    }

    /**
     * Copies up to {@code length} bytes (-1: to the end) from {@code offset} of the file to {@code sink}, in pieces of
     * at most {@value #CHUNK} bytes; the count copied. Asks with a {@code Range} header (envd serves downloads with
     * Go's {@code http.ServeContent}, which answers 206 with only those bytes); an envd that answers 200 with the whole
     * file instead has the first {@code offset} bytes skipped as they stream.
     */
    long download(String path, long offset, long length, OutputStream sink) {
        if (length == 0) {
            return 0;
        }
        HttpUrl url = HttpUrl.get(envd.baseUrl() + "/files").newBuilder().addQueryParameter("path", path).build();
        Request.Builder request = envd.headers(new Request.Builder().url(url)).get();
        boolean ranged = offset > 0 || length > 0;
        if (ranged) {
            request.header("Range", "bytes=" + offset + "-" + (length > 0 ? String.valueOf(offset + length - 1) : ""));
        }
        Call call = envd.streams().newCall(request.build());
        String what = "downloading " + path;
        InterruptWatch.Handle watch = InterruptWatch.watch(call::cancel);
        try (watch; Response response = call.execute()) {
            if (response.code() == 416) {
                return 0; // the offset is at or past the end: nothing to send
            }
            if (response.code() != 200 && response.code() != 206) {
                throw E2bErrors.http(what + " in E2B sandbox " + envd.sandboxId(), response.code(), response.body().string(),
                        Optional.empty());
            }
            BufferedSource body = response.body().source();
            if (response.code() == 200 && offset > 0) {
                skip(body, offset);
            }
            return copy(body, length, sink, path);
        } catch (IOException e) {
            if (watch.aborted() || Thread.currentThread().isInterrupted()) {
                throw new RunnerException.Unavailable(what + " in E2B sandbox " + envd.sandboxId() + " was cancelled");
            }
            throw envd.dropped(what + " (" + e.getMessage() + ")");
        }
    }

    private static void skip(BufferedSource body, long offset) throws IOException {
        long left = offset;
        while (left > 0 && body.request(1)) {
            long n = Math.min(left, body.getBuffer().size());
            body.skip(n);
            left -= n;
        }
    }

    private static long copy(BufferedSource body, long length, OutputStream sink, String path) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long left = length < 0 ? Long.MAX_VALUE : length;
        long sent = 0;
        while (left > 0) {
            int n = body.read(buffer, 0, (int) Math.min(CHUNK, left));
            if (n < 0) {
                break;
            }
            try {
                sink.write(buffer, 0, n);
            } catch (IOException e) {
                throw new RunnerException.Unavailable("the download of " + path + " stopped: " + e.getMessage(), e);
            }
            sent += n;
            left -= n;
        }
        return sent;
    }

    /** A failure of the upload's source (the caller's stream, or the limit) carried through OkHttp's IOException. */
    private static final class SourceFailed extends IOException {
        final RuntimeException failure;

        SourceFailed(RuntimeException failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }
    }

    /**
     * Uploads {@code content} to {@code path} ({@code POST /files}, multipart, chunked as it is read; envd makes the
     * folders on the way and replaces what is there) and returns the bytes sent. More than {@code maxBytes} stops the
     * upload with {@code tooLarge}'s error; what envd wrote of it by then is the caller's to remove.
     */
    long upload(String path, InputStream content, long maxBytes, Supplier<RunnerException> tooLarge) {
        long[] count = {0};
        RequestBody file = new RequestBody() {
            @Override
            public MediaType contentType() {
                return OCTETS;
            }

            @Override
            public long contentLength() {
                return -1; // chunked: the size is known only at the end
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                byte[] buffer = new byte[CHUNK];
                while (true) {
                    int n;
                    try {
                        n = content.read(buffer, 0, (int) Math.min(CHUNK, Math.max(1, maxBytes - count[0] + 1)));
                    } catch (IOException e) {
                        throw new SourceFailed(new RunnerException.Unavailable("the upload of " + path + " stopped: "
                                + e.getMessage(), e));
                    } catch (RuntimeException e) {
                        throw new SourceFailed(e);
                    }
                    if (n < 0) {
                        return;
                    }
                    count[0] += n;
                    if (count[0] > maxBytes) {
                        throw new SourceFailed(tooLarge.get());
                    }
                    sink.write(buffer, 0, n);
                }
            }
        };
        String name = path.substring(path.lastIndexOf('/') + 1);
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM).addFormDataPart("file", name, file).build();
        HttpUrl url = HttpUrl.get(envd.baseUrl() + "/files").newBuilder().addQueryParameter("path", path).build();
        Call call = envd.http().newCall(envd.headers(new Request.Builder().url(url)).post(body).build());
        String what = "uploading " + path;
        InterruptWatch.Handle watch = InterruptWatch.watch(call::cancel);
        try (watch; Response response = call.execute()) {
            if (!response.isSuccessful()) {
                String said = response.body().string();
                if (response.code() == 507) {
                    throw new RunnerException.Unavailable(what + " in E2B sandbox " + envd.sandboxId()
                            + ": the sandbox's disk is full (" + E2bErrors.message(said) + ")");
                }
                throw E2bErrors.http(what + " in E2B sandbox " + envd.sandboxId(), response.code(), said, Optional.empty());
            }
            return count[0];
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SourceFailed failed) {
                    throw failed.failure;
                }
            }
            if (watch.aborted() || Thread.currentThread().isInterrupted()) {
                throw new RunnerException.Unavailable(what + " in E2B sandbox " + envd.sandboxId() + " was cancelled");
            }
            throw envd.dropped(what + " (" + e.getMessage() + ")");
        }
    }

    /** What a watch hears: a name relative to the watched folder and envd's {@code EventType} without its prefix. */
    interface WatchEvents {
        void onEvent(String name, String type);

        void onEnded(RunnerException why);
    }

    /**
     * Watches {@code folder} (not its subfolders) with {@code WatchDir}; returns once envd's start event came, so a
     * change made after this returns is heard. Closing the returned handle cancels the stream.
     */
    AutoCloseable watch(String folder, WatchEvents events) {
        byte[] message = Json.write(Map.of("path", folder, "recursive", false)).getBytes();
        Request request = envd.rpc("filesystem.Filesystem/WatchDir", CONNECT_JSON, ConnectFrames.envelope(message))
                .header("Keepalive-Ping-Interval", String.valueOf(Envd.KEEPALIVE_SECONDS)).build();
        Call call = envd.streams().newCall(request);
        String what = "watching " + folder;
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            throw envd.dropped(what + " (" + e.getMessage() + ")");
        }
        try {
            if (response.code() != 200) {
                throw E2bErrors.connectHttp(what + " in E2B sandbox " + envd.sandboxId(), response.code(), response.body().string());
            }
            ConnectFrames.Frame first = ConnectFrames.next(response.body().source());
            if (first == null || first.endOfStream()) {
                JsonNode error = first == null ? null : first.message().path("error");
                if (error != null && error.has("code")) {
                    throw E2bErrors.connect(what + " in E2B sandbox " + envd.sandboxId(), error.get("code").asText(),
                            error.path("message").asText(""));
                }
                throw envd.dropped(what);
            }
        } catch (IOException | RuntimeException e) {
            response.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw envd.dropped(what + " (" + e.getMessage() + ")");
        }
        Thread reader = new Thread(() -> hear(call, response, events, what), "e2b-watch-" + envd.sandboxId());
        reader.setDaemon(true);
        reader.start();
        return call::cancel;
    }

    private void hear(Call call, Response response, WatchEvents events, String what) {
        RunnerException ended;
        try (response) {
            BufferedSource body = response.body().source();
            ConnectFrames.Frame frame;
            while ((frame = ConnectFrames.next(body)) != null && !frame.endOfStream()) {
                JsonNode fs = frame.message().path("event").path("filesystem");
                if (!fs.isMissingNode()) {
                    events.onEvent(fs.path("name").asText(""), fs.path("type").asText("").replace("EVENT_TYPE_", ""));
                }
            }
            JsonNode error = frame == null ? null : frame.message().path("error");
            ended = frame == null ? envd.dropped(what) // cut without its end of stream: gone, or the network
                    : error.has("code")
                    ? E2bErrors.connect(what + " in E2B sandbox " + envd.sandboxId(), error.get("code").asText(),
                    error.path("message").asText(""))
                    : new RunnerException.Unavailable(what + " in E2B sandbox " + envd.sandboxId() + " ended");
        } catch (IOException e) {
            if (call.isCanceled()) {
                return; // closed by its owner: no one to tell
            }
            ended = envd.dropped(what + " (" + e.getMessage() + ")");
        }
        if (!call.isCanceled()) {
            events.onEnded(ended);
        }
    }
}
