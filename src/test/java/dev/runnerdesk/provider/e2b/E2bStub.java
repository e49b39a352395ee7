package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runnerdesk.wire.Json;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * E2B for tests, on two loopback ports: the control plane (openapi.yml: create, get, list v2, kill, timeout
 * with {@code X-API-Key}) and envd behind the stable host ({@code E2b-Sandbox-Id}/{@code -Port} headers,
 * {@code X-Access-Token}): {@code process.Process/Start} as an enveloped Connect stream with start, data,
 * keepalive and end events and the end-of-stream message, {@code SendInput}, {@code SendSignal}, {@code Update},
 * {@code GET /health}, and envd's filesystem ({@link E2bStubFiles}: the {@code filesystem.Filesystem} service,
 * {@code /files}) with the control plane's metrics route. Commands really run, with bash, in a directory per sandbox
 * (its home, {@code /home/user} to the client); PTYs through pty4j. Faults on request: an API error, a stream cut
 * without its end-of-stream envelope, a sandbox killed behind the client's back (its streams cut, health 502).
 */
public final class E2bStub implements AutoCloseable {
    static final String KEY = "e2b_0123456789abcdef0123456789abcdef";

    /** A request as the stub received it, for tests to check what the client sent. */
    record Received(String method, String path, Map<String, String> headers, String body) {
    }

    private final HttpServer api;
    private final HttpServer envd;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "e2b-stub");
        t.setDaemon(true);
        return t;
    });
    private final Path root;
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    /** envd's filesystem routes and the metrics route, with their switches for tests. */
    final E2bStubFiles files = new E2bStubFiles();
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger pids = new AtomicInteger(1000);
    private volatile ApiFault nextApiFault;
    private volatile boolean cutNextStream;
    volatile long keepaliveMillis = 50_000;
    /** What the next PTY start waits for before it starts the shell; null when none waits. */
    private volatile CountDownLatch heldPtyStart;
    /** Every hold made, counted down when the stub closes so that no held start outlives it. */
    private final List<CountDownLatch> holds = new CopyOnWriteArrayList<>();
    private volatile boolean refusePtyStarts;
    private final AtomicInteger ptyStarts = new AtomicInteger();
    /** Directory put first on PATH in every sandbox (login shells included), for stand-in tools. */
    volatile Path extraPath;

    private record ApiFault(int status, String body, String retryAfter) {
    }

    private final class Sandbox {
        final String id;
        final String token = "tok_" + Long.toHexString(System.nanoTime());
        final String template;
        final Path home;
        final Map<String, String> envVars;
        final Map<String, String> metadata;
        volatile Instant endsAt;
        volatile boolean killed;
        final Map<Long, Proc> processes = new ConcurrentHashMap<>();
        /** Open WatchDir streams, cut when the sandbox is killed. */
        final List<OutputStream> watches = new CopyOnWriteArrayList<>();

        Sandbox(String id, String template, Path home, Map<String, String> envVars, Map<String, String> metadata, int timeout) {
            this.id = id;
            this.template = template;
            this.home = home;
            this.envVars = envVars;
            this.metadata = metadata;
            this.endsAt = Instant.now().plusSeconds(timeout);
        }
    }

    /** A running process, the tag its Start gave it (null when none), and the stream that reports it. */
    private static final class Proc {
        final Process process;
        final PtyProcess pty;
        final String tag;
        volatile OutputStream stream;

        Proc(Process process, String tag) {
            this.process = process;
            this.pty = process instanceof PtyProcess p ? p : null;
            this.tag = tag;
        }
    }

    public E2bStub(Path root) throws IOException {
        this.root = root;
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        api.createContext("/", this::api);
        api.setExecutor(threads);
        api.start();
        envd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        envd.createContext("/", this::envd);
        envd.setExecutor(threads);
        envd.start();
    }

    /** Runs the stub until killed, printing the environment that points RunnerDesk at it (e.g. for scripts/e2b-live-check.sh). */
    public static void main(String[] args) throws Exception {
        E2bStub stub = new E2bStub(Files.createTempDirectory("e2b-stub"));
        E2bConfig c = stub.config();
        System.out.println("export E2B_API_KEY=" + KEY + " E2B_API_URL=" + c.apiUrl() + " E2B_SANDBOX_URL="
                + c.sandboxUrl().orElseThrow());
        System.out.flush();
        Thread.currentThread().join();
    }

    E2bConfig config() {
        return new E2bConfig(URI.create("http://127.0.0.1:" + api.getAddress().getPort()), "e2b.test",
                Optional.of(URI.create("http://127.0.0.1:" + envd.getAddress().getPort())));
    }

    /** The E2B provider pointed at this stub, with its API key. */
    public E2bProvider provider() {
        return new E2bProvider(this::config, () -> Optional.of(KEY));
    }

    /**
     * The next PTY start (opening a terminal) starts the shell but holds back its answer (the start event with the
     * pid) until the returned latch is counted down or the stub closes: a shell that is slow to open, and that runs
     * although the client does not know its pid yet.
     */
    public CountDownLatch holdNextPtyStart() {
        CountDownLatch hold = new CountDownLatch(1);
        holds.add(hold);
        heldPtyStart = hold;
        return hold;
    }

    /** While true, PTY starts are refused as envd does when it has too many ({@code resource_exhausted}, 429). */
    public void refusePtyStarts(boolean refuse) {
        refusePtyStarts = refuse;
    }

    /** How many PTY starts were asked for, refused ones included. */
    public int ptyStarts() {
        return ptyStarts.get();
    }

    /** The next control-plane call answers {@code status} with {@code body}. */
    void failNextApiCall(int status, String body, String retryAfter) {
        nextApiFault = new ApiFault(status, body, retryAfter);
    }

    /** The next Start stream ends after its start event, without an end-of-stream envelope (a dropped connection). */
    void cutNextStream() {
        cutNextStream = true;
    }

    /** Kills a sandbox as E2B would at its timeout: processes end, streams are cut, health answers 502. */
    void killBehindTheClientsBack(String id) {
        Sandbox s = sandboxes.get(id);
        if (s != null) {
            kill(s);
        }
    }

    /** The id of the sandbox made for a runner (from its metadata). */
    public String sandboxOf(String runnerId) {
        return sandboxes.values().stream().filter(s -> runnerId.equals(s.metadata.get("runner_id"))).findFirst()
                .orElseThrow().id;
    }

    boolean alive(String id) {
        Sandbox s = sandboxes.get(id);
        return s != null && !s.killed;
    }

    /** The directory that is the sandbox's {@code /home/user}. */
    Path home(String id) {
        return sandboxes.get(id).home;
    }

    Instant endsAt(String id) {
        return sandboxes.get(id).endsAt;
    }

    Map<String, String> metadata(String id) {
        return sandboxes.get(id).metadata;
    }

    /** The tags of the sandbox's processes still running (those started with one). */
    List<String> runningTags(String id) {
        return sandboxes.get(id).processes.values().stream().filter(p -> p.process.isAlive() && p.tag != null)
                .map(p -> p.tag).toList();
    }

    public int runningProcesses(String id) {
        return (int) sandboxes.get(id).processes.values().stream().filter(p -> p.process.isAlive()).count();
    }

    private void kill(Sandbox s) {
        s.killed = true;
        for (OutputStream watch : s.watches) {
            try {
                watch.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        for (Proc p : s.processes.values()) {
            destroyTree(p.process);
            OutputStream out = p.stream;
            if (out != null) {
                try {
                    out.close(); // cut: no end-of-stream envelope
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }

    // --- control plane ------------------------------------------------------------------------------

    private void api(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        record(x, body);
        try {
            if (!KEY.equals(x.getRequestHeaders().getFirst("X-API-Key"))) {
                apiError(x, 401, "Invalid API key, it must start with 'e2b_' prefix", null);
                return;
            }
            ApiFault fault = nextApiFault;
            if (fault != null) {
                nextApiFault = null;
                apiError(x, fault.status(), fault.body(), fault.retryAfter());
                return;
            }
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            if (method.equals("POST") && path.equals("/sandboxes")) {
                create(x, Json.MAPPER.readTree(body));
            } else if (method.equals("GET") && path.equals("/v2/sandboxes")) {
                list(x);
            } else if (path.matches("/sandboxes/[^/]+(/timeout|/metrics)?")) {
                String id = path.split("/")[2];
                Sandbox s = sandboxes.get(id);
                if (s == null || s.killed) {
                    apiError(x, 404, "sandbox \"" + id + "\" not found", null);
                } else if (method.equals("GET") && path.endsWith("/metrics")) {
                    json(x, 200, files.metrics(s.home));
                } else if (method.equals("GET") && !path.endsWith("/timeout")) {
                    json(x, 200, detail(s));
                } else if (method.equals("DELETE")) {
                    kill(s);
                    x.sendResponseHeaders(204, -1);
                } else if (method.equals("POST") && path.endsWith("/timeout")) {
                    s.endsAt = Instant.now().plusSeconds(Json.MAPPER.readTree(body).path("timeout").asInt());
                    x.sendResponseHeaders(204, -1);
                } else {
                    apiError(x, 405, "method not allowed", null);
                }
            } else {
                apiError(x, 404, "no route " + path, null);
            }
        } finally {
            x.close();
        }
    }

    private void create(HttpExchange x, JsonNode req) throws IOException {
        if (!req.hasNonNull("templateID")) {
            apiError(x, 400, "templateID is required", null);
            return;
        }
        String id = "i" + Long.toHexString(System.nanoTime()).substring(4);
        Path home = Files.createDirectories(root.resolve(id));
        Map<String, String> envVars = Json.MAPPER.convertValue(req.path("envVars"), Map.class) == null ? Map.of()
                : Json.MAPPER.convertValue(req.path("envVars"), Map.class);
        Map<String, String> metadata = req.has("metadata") ? Json.MAPPER.convertValue(req.get("metadata"), Map.class) : Map.of();
        Sandbox s = new Sandbox(id, req.get("templateID").asText(), home, envVars, metadata, req.path("timeout").asInt(15));
        if (extraPath != null) { // a login shell's /etc/profile resets PATH; the home's profile puts the tools back first
            Files.writeString(home.resolve(".bash_profile"), "export PATH=" + extraPath + ":$PATH\n");
        }
        sandboxes.put(id, s);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("templateID", s.template);
        out.put("sandboxID", id);
        out.put("alias", s.template);
        out.put("clientID", "6532622b");
        out.put("envdVersion", "0.4.2");
        out.put("envdAccessToken", req.path("secure").asBoolean(false) ? s.token : null);
        out.put("trafficAccessToken", null);
        out.put("domain", null);
        json(x, 201, out);
    }

    private Map<String, Object> detail(Sandbox s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("templateID", s.template);
        out.put("sandboxID", s.id);
        out.put("clientID", "6532622b");
        out.put("startedAt", Instant.now().toString());
        out.put("endAt", s.endsAt.toString());
        out.put("cpuCount", 2);
        out.put("memoryMB", 512);
        out.put("diskSizeMB", 1024);
        out.put("metadata", s.metadata);
        out.put("state", "running");
        out.put("envdVersion", "0.4.2");
        out.put("envdAccessToken", s.token);
        out.put("domain", null);
        return out;
    }

    private void list(HttpExchange x) throws IOException {
        Map<String, String> query = query(x.getRequestURI().getRawQuery());
        Map<String, String> wanted = query.containsKey("metadata") ? query(query.get("metadata")) : Map.of();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Sandbox s : sandboxes.values()) {
            if (!s.killed && wanted.entrySet().stream().allMatch(e -> e.getValue().equals(s.metadata.get(e.getKey())))) {
                out.add(detail(s));
            }
        }
        // one sandbox a page, so paging with X-Next-Token is exercised
        int from = Integer.parseInt(query.getOrDefault("nextToken", "0"));
        if (from + 1 < out.size()) {
            x.getResponseHeaders().set("X-Next-Token", String.valueOf(from + 1));
        }
        x.getResponseHeaders().set("X-Total-Running", String.valueOf(out.size()));
        json(x, 200, from < out.size() ? List.of(out.get(from)) : List.of());
    }

    private static void apiError(HttpExchange x, int status, String message, String retryAfter) throws IOException {
        if (retryAfter != null) {
            x.getResponseHeaders().set("Retry-After", retryAfter);
        }
        json(x, status, Map.of("code", status, "message", message));
    }

    // --- envd ---------------------------------------------------------------------------------------

    private void envd(HttpExchange x) throws IOException {
        byte[] raw = x.getRequestBody().readAllBytes();
        String route = x.getRequestURI().getPath();
        record(x, route.endsWith("Start") || route.endsWith("WatchDir") ? "<enveloped " + raw.length + " bytes>"
                : route.equals("/files") ? "<" + raw.length + " bytes>" : new String(raw, StandardCharsets.UTF_8));
        try {
            String id = x.getRequestHeaders().getFirst("E2b-Sandbox-Id");
            Sandbox s = id == null ? null : sandboxes.get(id);
            if (s == null || !"49983".equals(x.getRequestHeaders().getFirst("E2b-Sandbox-Port"))) {
                json(x, 404, Map.of("message", "sandbox not found", "code", 404)); // the edge proxy's answer
                return;
            }
            String path = x.getRequestURI().getPath();
            if (path.equals("/health")) {
                x.sendResponseHeaders(s.killed ? 502 : 204, -1);
                return;
            }
            if (s.killed) {
                json(x, 502, Map.of("message", "sandbox not running", "code", 502));
                return;
            }
            if (!s.token.equals(x.getRequestHeaders().getFirst("X-Access-Token"))) {
                json(x, 401, Map.of("message", "unauthorized access, please provide a valid access token", "code", 401));
                return;
            }
            if (files.handle(x, s.home, path, raw, () -> s.killed, s.watches)) {
                return;
            }
            switch (path) {
                case "/process.Process/Start" -> start(x, s, raw);
                case "/process.Process/SendInput", "/process.Process/SendSignal", "/process.Process/Update" ->
                        unary(x, s, path, Json.MAPPER.readTree(raw));
                default -> connectError(x, 404, "not_found", "no method " + path);
            }
        } finally {
            x.close();
        }
    }

    private void start(HttpExchange x, Sandbox s, byte[] raw) throws IOException {
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (!"application/connect+json".equals(type) || !"1".equals(x.getRequestHeaders().getFirst("Connect-Protocol-Version"))) {
            connectError(x, 415, "unimplemented", "a stream wants application/connect+json and Connect-Protocol-Version 1");
            return;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
        int flags = in.readUnsignedByte();
        int length = in.readInt();
        if (flags != 0 || length != raw.length - 5) {
            connectError(x, 400, "invalid_argument", "bad envelope");
            return;
        }
        JsonNode req = Json.MAPPER.readTree(in.readNBytes(length));
        JsonNode pc = req.path("process");
        List<String> command = new ArrayList<>();
        command.add(pc.path("cmd").asText());
        pc.path("args").forEach(a -> command.add(a.asText()));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", (extraPath != null ? extraPath + ":" : "") + System.getenv("PATH"));
        env.put("HOME", s.home.toString());
        env.put("USER", "user");
        env.put("LOGNAME", "user");
        env.putAll(s.envVars);
        pc.path("envs").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        Process process;
        boolean pty = req.has("pty");
        if (pty) {
            ptyStarts.incrementAndGet();
            if (refusePtyStarts) {
                connectError(x, 429, "resource_exhausted", "too many processes");
                return;
            }
        }
        try {
            if (pty) {
                JsonNode size = req.path("pty").path("size");
                process = new PtyProcessBuilder(command.toArray(String[]::new)).setEnvironment(env)
                        .setDirectory(s.home.toString()).setInitialColumns(size.path("cols").asInt(80))
                        .setInitialRows(size.path("rows").asInt(24)).setConsole(false).start();
            } else {
                ProcessBuilder pb = new ProcessBuilder(command).directory(s.home.toFile());
                pb.environment().clear();
                pb.environment().putAll(env);
                process = pb.start();
                process.getOutputStream().close();
            }
        } catch (IOException e) {
            connectError(x, 400, "invalid_argument", "cannot start " + command.get(0) + ": " + e.getMessage());
            return;
        }
        long pid = pids.incrementAndGet();
        Proc proc = new Proc(process, req.hasNonNull("tag") ? req.get("tag").asText() : null);
        s.processes.put(pid, proc);
        CountDownLatch hold = pty ? heldPtyStart : null;
        if (hold != null) {
            heldPtyStart = null;
            try {
                hold.await(3, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        x.getResponseHeaders().set("Content-Type", "application/connect+json");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        proc.stream = out;
        Object lock = new Object();
        send(out, lock, Map.of("event", Map.of("start", Map.of("pid", pid))));
        if (cutNextStream) {
            cutNextStream = false;
            out.close();
            return;
        }
        String timeout = x.getRequestHeaders().getFirst("Connect-Timeout-Ms");
        boolean[] expired = {false};
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "e2b-stub-timer");
            t.setDaemon(true);
            return t;
        });
        ScheduledFuture<?> deadline = timeout == null ? null : timer.schedule(() -> {
            expired[0] = true;
            destroyTree(process);
        }, Long.parseLong(timeout), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> keepalives = timer.scheduleAtFixedRate(() -> {
            try {
                send(out, lock, Map.of("event", Map.of("keepalive", Map.of())));
            } catch (IOException ignored) {
                // the client went away; the process keeps running, as envd's does
            }
        }, keepaliveMillis, keepaliveMillis, TimeUnit.MILLISECONDS);
        try {
            List<Future<?>> readers = new ArrayList<>();
            readers.add(threads.submit(() -> pump(process.getInputStream(), pty ? "pty" : "stdout", out, lock)));
            if (!pty) {
                readers.add(threads.submit(() -> pump(process.getErrorStream(), "stderr", out, lock)));
            }
            int exit = process.waitFor();
            for (var r : readers) {
                r.get(10, TimeUnit.SECONDS);
            }
            // not shutdownNow: interrupting a keepalive in the middle of its write closes the connection's channel
            // (an interrupted NIO write does), and the client sees the stream break off
            keepalives.cancel(false);
            if (deadline != null) {
                deadline.cancel(false);
            }
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            if (s.killed) {
                return; // cut, as a killed sandbox's streams are
            }
            Map<String, Object> end = new LinkedHashMap<>();
            if (expired[0]) {
                end.put("exitCode", -1);
                end.put("exited", false);
                end.put("status", "signal: killed");
                end.put("error", "signal: killed");
            } else {
                if (exit != 0) {
                    end.put("exitCode", exit); // proto3 JSON leaves a zero out
                }
                end.put("exited", true);
                end.put("status", "exit status " + exit);
                if (exit != 0) {
                    end.put("error", "exit status " + exit);
                }
            }
            send(out, lock, Map.of("event", Map.of("end", end)));
            Map<String, Object> endStream = expired[0]
                    ? Map.of("error", Map.of("code", "deadline_exceeded", "message", "context deadline exceeded"))
                    : Map.of();
            synchronized (lock) {
                out.write(frame(0x02, Json.write(endStream).getBytes(StandardCharsets.UTF_8)));
                out.flush();
            }
        } catch (Exception e) {
            timer.shutdownNow();
        } finally {
            proc.stream = null;
        }
    }

    private static void pump(InputStream in, String field, OutputStream out, Object lock) {
        byte[] buf = new byte[field.equals("pty") ? 16 * 1024 : 32 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                send(out, lock, Map.of("event", Map.of("data", Map.of(field,
                        Base64.getEncoder().encodeToString(Arrays.copyOf(buf, n))))));
            }
        } catch (IOException ignored) {
            // process ended or client gone
        }
    }

    private void unary(HttpExchange x, Sandbox s, String path, JsonNode req) throws IOException {
        if (!String.valueOf(x.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
            connectError(x, 415, "unimplemented", "unary calls take application/json");
            return;
        }
        // a ProcessSelector: one of pid and tag
        JsonNode selector = req.path("process");
        String tag = selector.hasNonNull("tag") ? selector.get("tag").asText() : null;
        long pid = selector.path("pid").asLong(-1);
        Proc proc = tag == null ? s.processes.get(pid) : s.processes.values().stream()
                .filter(p -> tag.equals(p.tag) && p.process.isAlive()).findFirst().orElse(null);
        if (proc == null || !proc.process.isAlive()) {
            connectError(x, 404, "not_found", "process with " + (tag == null ? "pid " + pid : "tag " + tag) + " not found");
            return;
        }
        switch (path) {
            case "/process.Process/SendInput" -> {
                JsonNode input = req.path("input");
                byte[] data = Base64.getDecoder().decode(input.has("pty") ? input.get("pty").asText() : input.path("stdin").asText());
                proc.process.getOutputStream().write(data);
                proc.process.getOutputStream().flush();
            }
            case "/process.Process/SendSignal" -> {
                destroyTree(proc.process);
            }
            default -> {
                JsonNode size = req.path("pty").path("size");
                if (proc.pty == null) {
                    connectError(x, 400, "invalid_argument", "process " + pid + " has no pty");
                    return;
                }
                proc.pty.setWinSize(new WinSize(size.path("cols").asInt(), size.path("rows").asInt()));
            }
        }
        json(x, 200, Map.of());
    }

    private static void destroyTree(Process process) {
        ProcessHandle.of(process.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
        process.destroyForcibly();
    }

    // --- wire helpers -------------------------------------------------------------------------------

    private static void send(OutputStream out, Object lock, Object message) throws IOException {
        byte[] payload = Json.write(message).getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            out.write(frame(0, payload));
            out.flush();
        }
    }

    private static byte[] frame(int flags, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) flags).putInt(payload.length).put(payload).array();
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

    private void record(HttpExchange x, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        received.add(new Received(x.getRequestMethod(), x.getRequestURI().toString(), headers, body));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        holds.forEach(CountDownLatch::countDown);
        sandboxes.values().forEach(this::kill);
        api.stop(0);
        envd.stop(0);
        threads.shutdownNow();
    }
}
