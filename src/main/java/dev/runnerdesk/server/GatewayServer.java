package dev.runnerdesk.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.Version;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.IdFormat;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.core.WireNames;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.wire.AuditJson;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.wire.PolicyJson;
import dev.runnerdesk.wire.WireFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway REST API (DESIGN §4) served over the embedded runtime with the JDK's HTTP server: API-key
 * auth, per-key rate limits, the gateway's error shape, Server-Sent Events for live events and output.
 */
public final class GatewayServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String RUNNERS = "/gateway/admin/runners";

    /**
     * How the server runs. {@code rateLimitPerMinute} is per API key; {@code unauthenticatedPerMinute} is per client
     * address, for requests without a valid key (requests with one never count against it). 0 turns either off.
     */
    public record Options(String bind, int port, boolean betaDisabled, int rateLimitPerMinute, int unauthenticatedPerMinute,
                          Duration heartbeat) {
        public static final int DEFAULT_UNAUTHENTICATED_PER_MINUTE = 60;

        public static Options defaults() {
            return new Options("127.0.0.1", 8002, false, 6000, DEFAULT_UNAUTHENTICATED_PER_MINUTE, Duration.ofSeconds(15));
        }

        public Options withPort(int newPort) {
            return new Options(bind, newPort, betaDisabled, rateLimitPerMinute, unauthenticatedPerMinute, heartbeat);
        }

        public Options withBetaDisabled(boolean disabled) {
            return new Options(bind, port, disabled, rateLimitPerMinute, unauthenticatedPerMinute, heartbeat);
        }

        public Options withRateLimit(int perMinute) {
            return new Options(bind, port, betaDisabled, perMinute, unauthenticatedPerMinute, heartbeat);
        }

        public Options withHeartbeat(Duration every) {
            return new Options(bind, port, betaDisabled, rateLimitPerMinute, unauthenticatedPerMinute, every);
        }
    }

    static {
        // The JDK server writes a response's headers and body in separate packets; with Nagle's algorithm on,
        // the body waits for the client's delayed ACK, ~40 ms per request. Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final EmbeddedRuntime runtime;
    private final Options options;
    private final RateLimiter limiter;
    private final RateLimiter unauthenticated;
    private final EventStreams streams;
    private final HttpServer server;
    private final ExecutorService workers;

    public GatewayServer(EmbeddedRuntime runtime, Options options) throws IOException {
        this.runtime = runtime;
        this.options = options;
        this.limiter = new RateLimiter(options.rateLimitPerMinute(), Clock.systemUTC());
        this.unauthenticated = new RateLimiter(options.unauthenticatedPerMinute(), Clock.systemUTC());
        this.streams = new EventStreams(options.heartbeat());
        AtomicInteger threads = new AtomicInteger();
        // a thread per request: a slow client (or an open event stream) never holds up another
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runnerdesk-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 128);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    public GatewayServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        String host = server.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1" : server.getAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public void close() {
        streams.closeAll();
        server.stop(0);
        workers.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        HttpCall call = new HttpCall(exchange, "req_" + hex12());
        try {
            call.parseTarget();
            route(call);
        } catch (RunnerException e) {
            respondQuietly(call, () -> call.error(e));
        } catch (HttpCall.BodyTooLarge e) {
            respondQuietly(call, () -> call.error(413, "payload_too_large", "the request body is over 1 MiB", Map.of()));
        } catch (HttpCall.TooLarge e) {
            respondQuietly(call, () -> call.error(e.status, e.code, e.getMessage(), Map.of()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away: " + call.requestId, e);
        } catch (RuntimeException e) {
            // never a stack trace in the body: the request id finds it in the log
            LOG.log(System.Logger.Level.ERROR, "request " + call.requestId + " " + call.method() + " "
                    + WireNames.quote(call.path()) + " failed", e);
            respondQuietly(call, () -> call.error(500, "internal_error",
                    "the gateway failed to handle this request; quote request id " + call.requestId, Map.of()));
        } finally {
            exchange.close();
        }
    }

    private interface Response {
        void send() throws IOException;
    }

    private static void respondQuietly(HttpCall call, Response response) {
        if (call.responded()) {
            return;
        }
        try {
            response.send();
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private void route(HttpCall call) throws IOException {
        List<String> s = call.segments();
        if (s.equals(List.of("health"))) {
            requireMethod(call, "GET");
            call.json(200, Map.of("status", "ok", "version", Version.current()));
            return;
        }
        Principal principal = authenticate(call);
        RateLimiter.Decision decision = limiter.enabled() ? limiter.check(principal.name()) : null;
        if (decision != null) {
            var headers = call.exchange.getResponseHeaders();
            headers.set("RateLimit-Limit", Integer.toString(decision.limit()));
            headers.set("RateLimit-Remaining", Integer.toString(decision.remaining()));
            headers.set("RateLimit-Reset", Long.toString(decision.resetSeconds()));
            if (!decision.allowed()) {
                throw new RunnerException.RateLimited("rate limit of " + decision.limit() + " requests a minute reached; retry in "
                        + decision.retryAfterSeconds() + " s", Duration.ofSeconds(decision.retryAfterSeconds()));
            }
        }
        RunnerService service = runtime.serviceFor(principal);
        if (s.equals(List.of("v1", "admin", "me"))) {
            requireMethod(call, "GET");
            WhoAmI me = service.whoami();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", me.name());
            body.put("role", me.role().wireName());
            body.put("beta_access", !options.betaDisabled());
            body.put("permissions", me.role().permissions().stream().map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).toList());
            call.json(200, body);
            return;
        }
        if (s.size() < 3 || !s.get(0).equals("gateway") || !s.get(1).equals("admin")) {
            throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
        if (options.betaDisabled()) {
            // what the real gateway answers for an account without FF_GATEWAY_MANAGED_RUNNER_BETA
            throw new RunnerException.NotFound("Not Found");
        }
        List<String> rest = s.subList(2, s.size());
        switch (rest.get(0)) {
            case "runners" -> runners(call, service, rest.subList(1, rest.size()));
            case "events" -> allEvents(call, service, rest.subList(1, rest.size()));
            case "policies" -> policies(call, service, rest);
            case "members" -> {
                requireExact(call, rest, 1, "GET");
                call.json(200, Map.of("members", service.members().stream().map(m -> {
                    Map<String, Object> member = new LinkedHashMap<>();
                    member.put("name", m.name());
                    member.put("role", m.role().wireName());
                    member.put("kind", m.kind());
                    m.fingerprint().ifPresent(f -> member.put("fingerprint", f));
                    return member;
                }).toList()));
            }
            case "audit" -> audit(call, service, rest);
            case "providers" -> {
                requireExact(call, rest, 1, "GET");
                call.json(200, Map.of("providers", service.providers().stream().map(GatewayServer::provider).toList()));
            }
            default -> throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
    }

    /**
     * The caller a valid key stands for. Anything else is refused, and limited per client address first: a request
     * with a valid key never counts against that limit, so a flood from one address cannot lock a key holder out.
     * Refusals are recorded coalesced (see {@code ApiKeys#recordDenied}).
     */
    private Principal authenticate(HttpCall call) {
        Optional<String> key = call.header("X-CM-API-Key").map(String::trim).filter(k -> !k.isEmpty());
        if (key.isEmpty()) {
            key = call.header("Authorization").map(String::trim)
                    .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim());
        }
        Optional<Principal> principal = key.flatMap(runtime.apiKeys()::find);
        if (principal.isPresent()) {
            return principal.get();
        }
        String address = call.clientAddress();
        RateLimiter.Decision decision = unauthenticated.enabled() ? unauthenticated.check(address) : null;
        if (decision != null && !decision.allowed()) {
            runtime.apiKeys().recordDenied(address, "too many requests without a valid API key", key, call.path());
            throw new RunnerException.RateLimited("too many requests without a valid API key from " + address
                    + "; retry in " + decision.retryAfterSeconds() + " s", Duration.ofSeconds(decision.retryAfterSeconds()));
        }
        if (key.isEmpty()) {
            runtime.apiKeys().recordDenied(address, "missing API key", key, call.path());
            throw new RunnerException.Unauthorized("an API key is required: send it in the X-CM-API-Key header");
        }
        runtime.apiKeys().recordDenied(address, "unknown API key", key, call.path());
        throw new RunnerException.Unauthorized("the API key is not known to this gateway (or was revoked)");
    }

    private void runners(HttpCall call, RunnerService service, List<String> rest) throws IOException {
        if (rest.isEmpty()) {
            switch (call.method()) {
                case "GET" -> {
                    Optional<RunnerState> state = call.query("state").map(RunnerState::fromWire);
                    RunnerQuery q = new RunnerQuery(state, call.queryInt("limit").orElse(RunnerQuery.DEFAULT_LIMIT),
                            call.queryInt("offset").orElse(0));
                    call.json(200, WireFormat.runnerPage(service.list(q)));
                }
                case "POST" -> call.json(201, WireFormat.runner(service.create(createRequest(call.body()))));
                default -> methodNotAllowed(call, "GET, POST");
            }
            return;
        }
        String runnerId = rest.get(0);
        String action = rest.size() > 1 ? rest.get(1) : "";
        if (rest.size() == 5 && action.equals("sessions") && rest.get(3).equals("recordings")) {
            requireMethod(call, "GET");
            String cast = service.recording(runnerId, rest.get(2), HttpCall.parseInt("index", rest.get(4)));
            byte[] bytes = cast.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            call.exchange.getResponseHeaders().set("Content-Type", "application/x-asciicast");
            call.exchange.sendResponseHeaders(200, bytes.length);
            try (var out = call.exchange.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        if (rest.size() == 3 && action.equals("screenshots")) {
            requireMethod(call, "GET");
            byte[] png = service.screenshot(runnerId, rest.get(2));
            call.exchange.getResponseHeaders().set("Content-Type", "image/png");
            call.exchange.sendResponseHeaders(200, png.length);
            try (var out = call.exchange.getResponseBody()) {
                out.write(png);
            }
            return;
        }
        if (rest.size() > 2) {
            throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
        switch (action) {
            case "" -> {
                requireMethod(call, "GET");
                call.json(200, WireFormat.runner(service.get(runnerId)));
            }
            case "start" -> {
                requireMethod(call, "POST");
                Optional<Integer> ttl = integer(call.body(), "ttl_override");
                call.json(200, WireFormat.session(service.startSession(runnerId, ttl)));
            }
            case "exec" -> {
                requireMethod(call, "POST");
                exec(call, service, runnerId);
            }
            case "stop" -> {
                requireMethod(call, "POST");
                Map<String, Object> body = call.body();
                String sessionId = call.query("session_id").or(() -> string(body, "session_id")).orElse(null);
                call.json(200, WireFormat.session(service.stopSession(runnerId, sessionId)));
            }
            case "terminate" -> {
                requireMethod(call, "POST");
                call.json(200, WireFormat.runner(service.terminate(runnerId)));
            }
            case "events" -> {
                requireMethod(call, "GET");
                call.json(200, WireFormat.eventPage(runnerId, service.events(eventQuery(call, Optional.of(runnerId)))));
            }
            case "stream" -> {
                requireMethod(call, "GET");
                streams.serve(call, service, Optional.of(runnerId), resumeFrom(call));
            }
            default -> throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
    }

    private void allEvents(HttpCall call, RunnerService service, List<String> rest) throws IOException {
        if (rest.isEmpty()) {
            requireMethod(call, "GET");
            call.json(200, WireFormat.eventPage(null, service.events(eventQuery(call, Optional.empty()))));
        } else if (rest.equals(List.of("stream"))) {
            requireMethod(call, "GET");
            streams.serve(call, service, Optional.empty(), resumeFrom(call));
        } else {
            throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
    }

    /**
     * {@code /gateway/admin/audit/status}, {@code /checkpoints?after=&limit=}, {@code /events?after=&limit=} (ascending,
     * as hashed) and {@code /verify?from=&to=} (the result is the body, verified or not).
     */
    private void audit(HttpCall call, RunnerService service, List<String> rest) throws IOException {
        requireExact(call, rest, 2, "GET");
        switch (rest.get(1)) {
            case "status" -> call.json(200, AuditJson.status(service.auditStatus()));
            case "checkpoints" -> {
                List<AuditCheckpoint> page = service.auditCheckpoints(call.queryLong("after").orElse(0L),
                        call.queryInt("limit").orElse(1000));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("checkpoints", page.stream().map(AuditCheckpoint::toJson).toList());
                call.json(200, body);
            }
            case "events" -> {
                List<AuditEvent> page = service.auditEvents(call.queryLong("after").orElse(0L), call.queryInt("limit").orElse(1000));
                call.json(200, Map.of("events", page.stream().map(AuditChain::fields).toList()));
            }
            case "verify" -> call.json(200, AuditJson.verification(service.verifyAudit(call.queryLong("from").orElse(1L),
                    call.queryLong("to").orElse(Long.MAX_VALUE), AuditProgress.NONE)));
            default -> throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
    }

    private void policies(HttpCall call, RunnerService service, List<String> rest) throws IOException {
        if (rest.size() != 1) {
            throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
        switch (call.method()) {
            case "GET" -> call.json(200, PolicyJson.toMap(service.policies()));
            case "PUT" -> call.json(200, PolicyJson.toMap(service.updatePolicies(PolicyJson.fromMap(call.body()))));
            default -> methodNotAllowed(call, "GET, PUT");
        }
    }

    /** exec; with {@code Accept: application/x-ndjson} the output is streamed as lines, then the result. */
    private void exec(HttpCall call, RunnerService service, String runnerId) throws IOException {
        Map<String, Object> body = call.body();
        String sessionId = call.query("session_id").or(() -> string(body, "session_id")).orElse(null);
        if (!(body.get("argv") instanceof List<?> list)) {
            throw new InvalidRequest("argv", "argv must be a list of strings, e.g. [\"echo\", \"hello\"], got "
                    + describe(body.get("argv")));
        }
        List<String> argv = new ArrayList<>();
        for (Object a : list) {
            if (!(a instanceof String arg)) {
                throw new InvalidRequest("argv", "argv[" + argv.size() + "] must be a string, got " + describe(a));
            }
            argv.add(arg);
        }
        int timeout = integer(body, "timeout_seconds").orElse(ExecRequest.DEFAULT_TIMEOUT_SECONDS);
        ExecRequest request = new ExecRequest(argv, timeout);
        boolean streaming = call.header("Accept").map(a -> a.contains("application/x-ndjson")).orElse(false);
        if (!streaming) {
            call.json(200, WireFormat.execResult(service.exec(runnerId, sessionId, request)));
            return;
        }
        NdjsonWriter out = new NdjsonWriter(call);
        try {
            var result = service.exec(runnerId, sessionId, request, (stream, chunk) -> out.line(Map.of("type", "output",
                    "stream", stream == OutputListener.Stream.STDOUT ? "stdout" : "stderr", "data", chunk)));
            Map<String, Object> line = new LinkedHashMap<>(WireFormat.execResult(result));
            line.put("type", "result");
            out.line(line);
        } catch (RunnerException e) {
            if (!out.started) {
                throw e;
            }
            out.line(Map.of("type", "error", "status", HttpCall.status(e), "error",
                    Map.of("code", e.code(), "message", e.getMessage(), "request_id", call.requestId)));
        }
    }

    /** Writes NDJSON lines, sending the 200 headers with the first line so early errors keep their status. */
    private static final class NdjsonWriter {
        private final HttpCall call;
        private OutputStream out;
        boolean started;

        NdjsonWriter(HttpCall call) {
            this.call = call;
        }

        synchronized void line(Map<String, Object> value) {
            try {
                if (!started) {
                    started = true;
                    call.exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
                    call.exchange.sendResponseHeaders(200, 0);
                    out = call.exchange.getResponseBody();
                }
                out.write((Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** {@code ?limit=&before=&types=a,b&session_id=&actor=&since=&until=&q=} (times in ISO-8601). */
    private static EventQuery eventQuery(HttpCall call, Optional<String> runnerId) {
        java.util.Set<String> types = call.query("types").map(t -> java.util.Arrays.stream(t.split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).collect(java.util.stream.Collectors.toSet())).orElse(java.util.Set.of());
        Optional<String> sessionId = call.query("session_id").map(id -> IdFormat.check("session_id", id));
        return new EventQuery(runnerId, call.queryInt("limit").orElse(EventQuery.DEFAULT_LIMIT), call.queryLong("before"), types,
                sessionId, call.query("actor"), instant(call, "since"), instant(call, "until"), call.query("q"));
    }

    private static Optional<java.time.Instant> instant(HttpCall call, String name) {
        return call.query(name).map(v -> {
            try {
                return java.time.Instant.parse(v);
            } catch (java.time.format.DateTimeParseException e) {
                throw new InvalidRequest(name, name + " must be an ISO-8601 time such as 2026-11-26T09:00:00Z, got " + WireNames.quote(v));
            }
        });
    }

    private static long resumeFrom(HttpCall call) {
        Optional<String> header = call.header("Last-Event-ID");
        String name = header.isPresent() ? "Last-Event-ID" : "after_seq";
        // resuming: everything after what the client saw
        return header.or(() -> call.query("after_seq")).map(v -> Math.max(0, HttpCall.parseLong(name, v)))
                .orElse(RunnerService.ONLY_NEW);
    }

    private static CreateRunnerRequest createRequest(Map<String, Object> body) {
        ProviderType provider = ProviderType.fromWire(string(body, "provider_type").orElse(ProviderType.FAKE.wireName()));
        ToolProfile profile = ToolProfile.fromWire(string(body, "tool_profile").orElse(ToolProfile.LOCKED.wireName()));
        int ttl = integer(body, "ttl_seconds").orElse(CreateRunnerRequest.DEFAULT_TTL_SECONDS);
        return new CreateRunnerRequest(provider, profile, ttl, string(body, "image_ref"));
    }

    /** A body field that must be a string when present ({@code null} counts as absent). */
    private static Optional<String> string(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null || v instanceof String) {
            return Optional.ofNullable((String) v);
        }
        throw new InvalidRequest(field, field + " must be a string, got " + describe(v));
    }

    /** A body field that must be a whole number in int range when present ({@code null} counts as absent). */
    private static Optional<Integer> integer(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
            return Optional.of(n.intValue());
        }
        throw new InvalidRequest(field, field + " must be a whole number from " + Integer.MIN_VALUE + " to "
                + Integer.MAX_VALUE + ", got " + describe(v));
    }

    /** A JSON value as an error message names it, never longer than a short quote. */
    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        } else if (v instanceof String || v instanceof Number) {
            return WireNames.quote(v.toString());
        } else if (v instanceof List<?>) {
            return "an array";
        } else if (v instanceof Map<?, ?>) {
            return "an object";
        }
        return v.toString();
    }

    private static Map<String, Object> provider(ProviderInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider_type", p.type().wireName());
        m.put("available", p.available());
        p.unavailableReason().ifPresent(r -> m.put("unavailable_reason", r));
        // what a client can open through this API, not what the provider has behind it: there is no terminal route
        m.put("interactive_terminal", false);
        if (!p.isolation().isEmpty()) {
            Map<String, Object> isolation = new LinkedHashMap<>();
            p.isolation().forEach((profile, text) -> isolation.put(profile.wireName(), text));
            m.put("isolation", isolation);
        }
        return m;
    }

    private static void requireMethod(HttpCall call, String method) throws IOException {
        if (!call.method().equals(method)) {
            methodNotAllowed(call, method);
            throw new Answered();
        }
    }

    private static void requireExact(HttpCall call, List<String> rest, int size, String method) throws IOException {
        if (rest.size() != size) {
            throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
        requireMethod(call, method);
    }

    private static void methodNotAllowed(HttpCall call, String allowed) throws IOException {
        call.exchange.getResponseHeaders().set("Allow", allowed);
        call.error(405, "method_not_allowed", call.method() + " is not allowed on " + call.path() + "; use " + allowed, Map.of());
    }

    /** Thrown after a response was sent to stop routing; swallowed as an I/O end. */
    private static final class Answered extends IOException {
        Answered() {
            super("answered", null);
        }
    }

    private static String hex12() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
