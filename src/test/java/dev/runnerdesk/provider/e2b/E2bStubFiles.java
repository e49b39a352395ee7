package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.runnerdesk.wire.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The stub's envd filesystem, from {@code filesystem.proto} and {@code envd.yaml} (and envd's own behaviour where the
 * spec is silent): real files in the sandbox's directory, which the sandbox sees as {@value #HOME}; any other absolute
 * path is this computer's own (as a VM's {@code /etc} is its own). Symlinks resolve as Linux resolves them, so a link
 * to {@code /etc} or {@code ../..} really leads out. Entries are envd's: stat without following a final link, a link's
 * {@code symlinkTarget} fully resolved (its own path when it leads nowhere) and its {@code type} its target's; protojson
 * leaves zero values out and writes int64 as strings. Downloads honour {@code Range} (Go's {@code ServeContent}) unless
 * told not to; uploads take {@code multipart/form-data} or raw bytes; {@code WatchDir} streams Java watch-service events.
 */
final class E2bStubFiles {
    static final String HOME = "/home/user";

    /** When true, downloads ignore {@code Range} and send the whole file with 200 (an older envd). */
    volatile boolean ignoreRanges;
    /** When true, the metrics route answers an empty array (a sandbox with no data points yet). */
    volatile boolean noMetricsYet;
    final AtomicInteger metricsCalls = new AtomicInteger();
    /** The largest single write a download made to the wire, to check chunking from the other side. */
    final AtomicInteger largestDownloadWrite = new AtomicInteger();

    static Path real(Path home, String virtual) {
        if (virtual.equals(HOME)) {
            return home;
        }
        if (virtual.startsWith(HOME + "/")) {
            return home.resolve(virtual.substring(HOME.length() + 1));
        }
        return virtual.startsWith("/") ? Path.of(virtual) : home.resolve(virtual);
    }

    static String virtual(Path home, Path real) {
        Path h = realHome(home);
        Path r = real.toAbsolutePath().normalize();
        if (r.startsWith(h)) {
            String rel = h.relativize(r).toString();
            return rel.isEmpty() ? HOME : HOME + "/" + rel;
        }
        String s = r.toString();
        return s.startsWith(HOME) ? "/host" + s : s; // never mistaken for the sandbox's home
    }

    private static Path realHome(Path home) {
        try {
            return home.toRealPath();
        } catch (IOException e) {
            return home.toAbsolutePath().normalize();
        }
    }

    /** Handles {@code path} when it is a filesystem route; false when it is not one. */
    boolean handle(HttpExchange x, Path home, String path, byte[] raw, BooleanSupplier killed, List<OutputStream> streams)
            throws IOException {
        switch (path) {
            case "/files" -> {
                if (x.getRequestMethod().equals("POST")) {
                    upload(x, home, raw);
                } else {
                    download(x, home);
                }
            }
            case "/filesystem.Filesystem/Stat", "/filesystem.Filesystem/ListDir", "/filesystem.Filesystem/MakeDir",
                 "/filesystem.Filesystem/Move", "/filesystem.Filesystem/Remove" -> unary(x, home, path, raw);
            case "/filesystem.Filesystem/WatchDir" -> watch(x, home, raw, killed, streams);
            default -> {
                return false;
            }
        }
        return true;
    }

    // --- unary ----------------------------------------------------------------------------------------

    private void unary(HttpExchange x, Path home, String path, byte[] raw) throws IOException {
        if (!String.valueOf(x.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
            connectError(x, 415, "unimplemented", "unary calls take application/json");
            return;
        }
        JsonNode req = Json.MAPPER.readTree(raw);
        try {
            switch (path) {
                case "/filesystem.Filesystem/Stat" -> {
                    String p = req.path("path").asText();
                    json(x, 200, Map.of("entry", entry(home, p, real(home, p))));
                }
                case "/filesystem.Filesystem/ListDir" -> listDir(x, home, req.path("path").asText());
                case "/filesystem.Filesystem/MakeDir" -> makeDir(x, home, req.path("path").asText());
                case "/filesystem.Filesystem/Move" -> {
                    String to = req.path("destination").asText();
                    Path dst = real(home, to);
                    Files.createDirectories(dst.getParent());
                    try {
                        Files.move(real(home, req.path("source").asText()), dst, StandardCopyOption.ATOMIC_MOVE); // rename(2)
                    } catch (AtomicMoveNotSupportedException e) {
                        connectError(x, 500, "internal", "error renaming: " + e.getMessage());
                        return;
                    }
                    json(x, 200, Map.of("entry", entry(home, to, dst)));
                }
                default -> {
                    removeAll(real(home, req.path("path").asText()));
                    json(x, 200, Map.of());
                }
            }
        } catch (NoSuchFileException e) {
            connectError(x, 404, "not_found", "file not found: " + e.getMessage());
        } catch (DirectoryNotEmptyException e) {
            connectError(x, 500, "internal", "error renaming: directory not empty");
        } catch (IOException e) {
            connectError(x, 500, "internal", e.toString());
        }
    }

    private void listDir(HttpExchange x, Path home, String dir) throws IOException {
        Path real = real(home, dir);
        Path resolved = real.toRealPath(); // NoSuchFile: not_found
        if (!Files.isDirectory(resolved)) {
            connectError(x, 400, "invalid_argument", "path is not a directory: " + dir);
            return;
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(real)) {
            for (Path child : children.toList()) {
                try {
                    entries.add(entry(home, dir + "/" + child.getFileName(), child));
                } catch (NoSuchFileException gone) {
                    // removed meanwhile
                }
            }
        }
        entries.sort(Comparator.comparing((Map<String, Object> e) -> !"FILE_TYPE_DIRECTORY".equals(e.get("type")))
                .thenComparing(e -> String.valueOf(e.get("name")).toLowerCase(Locale.ROOT)));
        json(x, 200, Map.of("entries", entries));
    }

    private void makeDir(HttpExchange x, Path home, String dir) throws IOException {
        Path real = real(home, dir);
        if (Files.exists(real)) {
            if (Files.isDirectory(real)) {
                connectError(x, 409, "already_exists", "directory already exists: " + dir);
            } else {
                connectError(x, 400, "invalid_argument", "path already exists but it is not a directory: " + dir);
            }
            return;
        }
        Files.createDirectories(real);
        json(x, 200, Map.of("entry", Map.of("name", real.getFileName().toString(), "type", "FILE_TYPE_DIRECTORY", "path", dir)));
    }

    /** {@code os.RemoveAll}: links are removed, never followed; nothing there is no error. */
    private static void removeAll(Path real) throws IOException {
        if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(real, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** envd's {@code EntryInfo} of the entry at {@code virtual}, stat-ed without following a final link. */
    static Map<String, Object> entry(Path home, String virtual, Path real) throws IOException {
        PosixFileAttributes a = Files.readAttributes(real, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes typed = a;
        String target = null;
        if (a.isSymbolicLink()) {
            try {
                Path resolved = real.toRealPath();
                target = virtual(home, resolved);
                typed = Files.readAttributes(resolved, PosixFileAttributes.class);
            } catch (IOException e) {
                target = virtual; // envd's followSymlink answers the path itself when it cannot resolve it
                typed = null;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", real.getFileName() == null ? "/" : real.getFileName().toString());
        String type = typed == null ? null : typed.isDirectory() ? "FILE_TYPE_DIRECTORY" : typed.isRegularFile()
                ? "FILE_TYPE_FILE" : null;
        if (type != null) {
            out.put("type", type);
        }
        out.put("path", virtual);
        if (a.size() != 0) {
            out.put("size", String.valueOf(a.size()));
        }
        int mode = typed == null ? 0 : mode(typed);
        if (mode != 0) {
            out.put("mode", mode);
        }
        out.put("permissions", (a.isSymbolicLink() ? "L" : a.isDirectory() ? "d" : "-") + "rwxr-xr-x");
        out.put("owner", "user");
        out.put("group", "user");
        out.put("modifiedTime", a.lastModifiedTime().toInstant().toString());
        if (target != null) {
            out.put("symlinkTarget", target);
        }
        return out;
    }

    private static int mode(PosixFileAttributes a) {
        int mode = 0;
        for (PosixFilePermission p : a.permissions()) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    // --- /files ---------------------------------------------------------------------------------------

    private void download(HttpExchange x, Path home) throws IOException {
        String p = E2bStub.query(x.getRequestURI().getRawQuery()).getOrDefault("path", "");
        Path file = real(home, p);
        if (!Files.exists(file)) {
            json(x, 404, Map.of("message", "path '" + p + "' does not exist", "code", 404));
            return;
        }
        if (Files.isDirectory(file)) {
            json(x, 400, Map.of("message", "path '" + p + "' is a directory", "code", 400));
            return;
        }
        long size = Files.size(file);
        long from = 0;
        long to = size - 1;
        String range = x.getRequestHeaders().getFirst("Range");
        boolean partial = range != null && !ignoreRanges && range.startsWith("bytes=");
        if (partial) {
            String[] ends = range.substring(6).split("-", 2);
            from = Long.parseLong(ends[0]);
            if (ends.length > 1 && !ends[1].isEmpty()) {
                to = Math.min(to, Long.parseLong(ends[1]));
            }
            if (from >= size) {
                x.getResponseHeaders().set("Content-Range", "bytes */" + size);
                json(x, 416, Map.of("message", "invalid range", "code", 416));
                return;
            }
            x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
        long length = to - from + 1;
        x.sendResponseHeaders(partial ? 206 : 200, length == 0 ? -1 : length);
        try (InputStream in = Files.newInputStream(file); OutputStream out = x.getResponseBody()) {
            in.skipNBytes(from);
            byte[] buffer = new byte[32 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                largestDownloadWrite.accumulateAndGet(n, Math::max);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private void upload(HttpExchange x, Path home, byte[] raw) throws IOException {
        String p = E2bStub.query(x.getRequestURI().getRawQuery()).getOrDefault("path", "");
        String type = String.valueOf(x.getRequestHeaders().getFirst("Content-Type"));
        byte[] content = raw;
        if (type.startsWith("multipart/form-data")) {
            content = firstPart(raw, type.replaceFirst(".*boundary=\"?([^\";]+)\"?.*", "$1"));
            if (content == null) {
                json(x, 400, Map.of("message", "error parsing multipart form", "code", 400));
                return;
            }
        }
        Path file = real(home, p);
        if (Files.isDirectory(file)) {
            json(x, 400, Map.of("message", "path '" + p + "' is a directory", "code", 400));
            return;
        }
        Files.createDirectories(file.getParent());
        Files.write(file, content); // in place, as envd writes: no temporary of its own
        json(x, 200, List.of(Map.of("path", p, "name", file.getFileName().toString(), "type", "file")));
    }

    /** The content of a multipart body's first part; null when the body is not one. */
    private static byte[] firstPart(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        if (start < 0) {
            return null;
        }
        int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
        byte[] close = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int end = headersEnd < 0 ? -1 : indexOf(body, close, headersEnd + 4);
        if (end < 0) {
            return null;
        }
        byte[] out = new byte[end - headersEnd - 4];
        System.arraycopy(body, headersEnd + 4, out, 0, out.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // --- WatchDir -------------------------------------------------------------------------------------

    private void watch(HttpExchange x, Path home, byte[] raw, BooleanSupplier killed, List<OutputStream> streams)
            throws IOException {
        if (!"application/connect+json".equals(x.getRequestHeaders().getFirst("Content-Type"))) {
            connectError(x, 415, "unimplemented", "a stream wants application/connect+json");
            return;
        }
        JsonNode req = Json.MAPPER.readTree(java.util.Arrays.copyOfRange(raw, 5, raw.length));
        String dir = req.path("path").asText();
        Path real = real(home, dir);
        if (!Files.isDirectory(real)) {
            if (Files.exists(real)) {
                connectError(x, 400, "invalid_argument", "path " + dir + " not a directory");
            } else {
                connectError(x, 404, "not_found", "path " + dir + " not found");
            }
            return;
        }
        try (WatchService ws = real.getFileSystem().newWatchService()) {
            real.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            x.getResponseHeaders().set("Content-Type", "application/connect+json");
            x.sendResponseHeaders(200, 0);
            OutputStream out = x.getResponseBody();
            streams.add(out);
            try {
                send(out, Map.of("event", Map.of("start", Map.of())));
                long lastSent = System.nanoTime();
                while (!killed.getAsBoolean()) {
                    WatchKey key = ws.poll(200, TimeUnit.MILLISECONDS);
                    if (key != null) {
                        for (WatchEvent<?> e : key.pollEvents()) {
                            String t = e.kind() == StandardWatchEventKinds.ENTRY_CREATE ? "EVENT_TYPE_CREATE"
                                    : e.kind() == StandardWatchEventKinds.ENTRY_MODIFY ? "EVENT_TYPE_WRITE"
                                    : e.kind() == StandardWatchEventKinds.ENTRY_DELETE ? "EVENT_TYPE_REMOVE" : null;
                            if (t != null) {
                                send(out, Map.of("event", Map.of("filesystem", Map.of("name", e.context().toString(),
                                        "type", t))));
                            }
                        }
                        key.reset();
                        lastSent = System.nanoTime();
                    }
                    // sooner than envd's keepalive, so that the stub notices a client that went away
                    if (System.nanoTime() - lastSent > TimeUnit.SECONDS.toNanos(1)) {
                        send(out, Map.of("event", Map.of("keepalive", Map.of())));
                        lastSent = System.nanoTime();
                    }
                }
            } catch (IOException | InterruptedException gone) {
                // the client closed the stream, or the stub is closing
            } finally {
                streams.remove(out);
            }
        }
    }

    // --- metrics (control plane) ------------------------------------------------------------------------

    /** {@code SandboxMetric}s of the sandbox: two entries 5 s apart, the disk used being its directory's size. */
    List<Map<String, Object>> metrics(Path home) throws IOException {
        metricsCalls.incrementAndGet();
        if (noMetricsYet) {
            return List.of();
        }
        long disk;
        try (Stream<Path> all = Files.walk(home)) {
            disk = all.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        for (long at : new long[]{now - 5, now}) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("timestamp", Instant.ofEpochSecond(at).toString());
            m.put("timestampUnix", at);
            m.put("cpuCount", 2);
            m.put("cpuUsedPct", at == now ? 25.5 : 3.0);
            m.put("memUsed", 128L * 1024 * 1024);
            m.put("memTotal", 512L * 1024 * 1024);
            m.put("memCache", 16L * 1024 * 1024);
            m.put("diskUsed", 600L * 1024 * 1024 + disk);
            m.put("diskTotal", 1024L * 1024 * 1024);
            out.add(m);
        }
        return out;
    }

    // --- wire -----------------------------------------------------------------------------------------

    private static void send(OutputStream out, Object message) throws IOException {
        byte[] payload = Json.write(message).getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(payload.length).put(payload).array());
            out.flush();
        }
    }

    private static void connectError(HttpExchange x, int status, String code, String message) throws IOException {
        json(x, status, Map.of("code", code, "message", message));
    }

    private static void json(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }
}
