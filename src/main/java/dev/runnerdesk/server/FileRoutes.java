package dev.runnerdesk.server;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.WireNames;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.wire.FileJson;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A runner's workspace files and metrics over HTTP (issue 18), under {@code /gateway/admin/runners/{id}}: listing,
 * stat, download and upload (both streamed, never held whole), folders, moves, deletes, a watch (server-sent events)
 * and metrics. Roles, the profile's file access and the audit events are the service's; this class reads the request
 * strictly (each parameter named in a 400) and streams the bytes. Every answer of these routes carries
 * {@value #ROUTES_HEADER}, so a client can tell "no such file" from "this gateway has no file routes".
 */
final class FileRoutes {
    /** Sent with every answer of these routes, errors included. */
    static final String ROUTES_HEADER = "RunnerDesk-Files";
    private static final String RUNNER = "runner_id";

    private final Idempotency idempotency;
    private final FileWatchStream watches;

    FileRoutes(Idempotency idempotency, Duration heartbeat) {
        this.idempotency = idempotency;
        this.watches = new FileWatchStream(heartbeat);
    }

    /** Adds the routes under {@code runner} (the runner's own path pattern). */
    RouteTable addTo(RouteTable table, String runner) {
        String files = runner + "/files";
        return table
                .add("GET", files, marked((call, service, path) -> call.json(200, Map.of("entries", service.listFiles(
                        path.get(RUNNER), optionalPath(call)).stream().map(FileJson::entry).toList()))))
                .add("DELETE", files, marked(idempotency.once((call, service, path) -> {
                    service.deleteFile(path.get(RUNNER), requiredPath(call, "path"), bool(call, "recursive"));
                    call.json(200, Map.of("deleted", true));
                })))
                .add("GET", files + "/stat", marked((call, service, path) -> call.json(200, FileJson.entry(
                        service.statFile(path.get(RUNNER), requiredPath(call, "path"))))))
                .add("GET", files + "/content", marked(FileRoutes::download))
                .add("PUT", files + "/content", marked(FileRoutes::upload))
                .add("POST", files + "/folders", marked(idempotency.once((call, service, path) -> call.json(201, FileJson.entry(
                        service.makeFolder(path.get(RUNNER), bodyPath(call.body(), "path")))))))
                .add("POST", files + "/move", marked(idempotency.once((call, service, path) -> {
                    Map<String, Object> body = call.body();
                    call.json(200, FileJson.entry(service.moveFile(path.get(RUNNER), bodyPath(body, "from"), bodyPath(body, "to"))));
                })))
                .add("GET", files + "/watch", marked((call, service, path) -> watches.serve(call, service, path.get(RUNNER),
                        optionalPath(call))))
                .add("GET", runner + "/metrics", marked((call, service, path) -> call.json(200, Map.of("samples", service.metrics(
                        path.get(RUNNER), RequestFields.instant(call, "since").orElse(Instant.EPOCH)).stream()
                        .map(FileJson::sample).toList()))));
    }

    void closeAll() {
        watches.closeAll();
    }

    private static RouteTable.Handler marked(RouteTable.Handler handler) {
        return (call, service, path) -> {
            call.exchange.getResponseHeaders().set(ROUTES_HEADER, "1");
            handler.handle(call, service, path);
        };
    }

    /** {@code ?path=}, checked here so the 400 names the parameter; absent or empty is the workspace root. */
    private static String optionalPath(HttpCall call) {
        String raw = call.query("path").orElse("");
        WorkspacePath.parse("path", raw);
        return raw;
    }

    private static String requiredPath(HttpCall call, String name) {
        String raw = call.query(name).orElseThrow(() -> new InvalidRequest(name, name + " is required, e.g. ?" + name
                + "=src/main.py (a path in the workspace)"));
        WorkspacePath.parse(name, raw);
        return raw;
    }

    private static String bodyPath(Map<String, Object> body, String field) {
        String raw = RequestFields.string(body, field).orElseThrow(() -> new InvalidRequest(field, field
                + " is required: a path in the workspace, e.g. \"src/main.py\""));
        WorkspacePath.parse(field, raw);
        return raw;
    }

    private static boolean bool(HttpCall call, String name) {
        String v = call.query(name).orElse("false");
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidRequest(name, name + " must be true or false, got " + WireNames.quote(v));
        };
    }

    private static long longAtLeast(HttpCall call, String name, long min, long absent) {
        long v = call.queryLong(name).orElse(absent);
        if (v < min) {
            throw new InvalidRequest(name, name + " must be " + min + " or more" + (min < 0 ? " (-1: to the end)" : "")
                    + ", got " + v);
        }
        return v;
    }

    /**
     * {@code GET …/files/content?path=&offset=&length=}: the bytes as they are read. For a file the length is known from
     * its stat (and the read capped to it), so the answer has a Content-Length and a file cut short on the way shows as
     * a body that ends early, never as a whole one. The status and headers go out with the first byte, so a refusal
     * (a viewer where downloads are off) keeps its status and error body.
     */
    private static void download(HttpCall call, RunnerService service, Map<String, String> path) throws IOException {
        String runnerId = path.get(RUNNER);
        String file = requiredPath(call, "path");
        long offset = longAtLeast(call, "offset", 0, 0);
        long length = longAtLeast(call, "length", -1, -1);
        FileEntry entry = service.statFile(runnerId, file);
        if (entry.isFolder()) {
            throw new InvalidRequest("path", WireNames.quote(entry.path()) + " is a folder; download its files one by one");
        }
        long known = -1; // chunked: a symlink's size is not its target's
        if (entry.kind() == FileEntry.Kind.FILE) {
            long left = Math.max(0, entry.size() - offset);
            known = length < 0 ? left : Math.min(length, left);
            length = known;
        }
        var headers = call.exchange.getResponseHeaders();
        headers.set("RunnerDesk-File-Kind", entry.kind().wireName());
        headers.set("RunnerDesk-File-Size", Long.toString(entry.size()));
        headers.set("RunnerDesk-File-Mode", Integer.toString(entry.mode()));
        headers.set("RunnerDesk-File-Modified", entry.modified().toString());
        LazyBody body = new LazyBody(call, known);
        service.readFile(runnerId, file, offset, length, body);
        body.finish();
    }

    /** The answer's body, started (status 200 and headers) with its first byte. */
    private static final class LazyBody extends OutputStream {
        private final HttpCall call;
        private final long length;
        private OutputStream out;

        LazyBody(HttpCall call, long length) {
            this.call = call;
            this.length = length;
        }

        private OutputStream out() throws IOException {
            if (out == null) {
                call.exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                // the JDK server's lengths: -1 no body, 0 chunked
                call.startStream(200, "application/octet-stream", length == 0 ? -1 : Math.max(0, length));
                out = call.exchange.getResponseBody();
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                out().write(b, off, len);
            }
        }

        void finish() throws IOException {
            out().close();
        }
    }

    /**
     * {@code PUT …/files/content?path=} with the file as the body (Content-Length or chunked), streamed into the
     * service. A declared length over the profile's limit is refused before a byte is read; an undeclared one as soon
     * as it passes the limit — the rest is never read (the server drops the connection rather than drain it).
     * No Idempotency-Key: the body is not kept to compare a retry with, and writing the same bytes again leaves the
     * same file (one more {@code file.written} event).
     */
    private static void upload(HttpCall call, RunnerService service, Map<String, String> path) throws IOException {
        String runnerId = path.get(RUNNER);
        String file = requiredPath(call, "path");
        long declared = call.header("Content-Length").map(v -> HttpCall.parseLong("Content-Length", v)).orElse(-1L);
        if (declared >= 0 && call.principal != null && call.principal.role().may(Role.Permission.OPERATE)) {
            Runner runner = service.get(runnerId);
            var profile = service.policies().profile(runner.toolProfile());
            long max = profile.files().maxUploadBytes();
            if (declared > max) {
                throw new RunnerException.TooLarge("the upload to " + WorkspacePath.parse("path", file) + " is "
                        + declared + " bytes, larger than the " + profile.profile().wireName() + " profile's limit of "
                        + profile.files().maxUploadMib() + " MiB; nothing was written", max);
            }
        }
        FileEntry written;
        try (InputStream in = new UncloseableBody(call.exchange.getRequestBody())) {
            written = service.writeFile(runnerId, file, in);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        call.json(200, FileJson.entry(written));
    }

    /** The request body, which the service's provider may close; the exchange closes it itself. */
    private static final class UncloseableBody extends FilterInputStream {
        UncloseableBody(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the server drains what it will of the rest, or drops the connection
        }
    }
}
