package dev.runnerdesk.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Version;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.core.WireNames;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.store.IdempotentRequests;
import dev.runnerdesk.wire.AuditJson;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.wire.PolicyJson;
import dev.runnerdesk.wire.WireFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    private static final String EVENTS = "/gateway/admin/events";
    private static final String POLICIES = "/gateway/admin/policies";
    private static final String AUDIT = "/gateway/admin/audit";

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
    private final Idempotency idempotency;
    private final FileRoutes fileRoutes;
    private final RouteTable routes;

    public GatewayServer(EmbeddedRuntime runtime, Options options) throws IOException {
        this.runtime = runtime;
        this.options = options;
        this.limiter = new RateLimiter(options.rateLimitPerMinute(), Clock.systemUTC());
        this.unauthenticated = new RateLimiter(options.unauthenticatedPerMinute(), Clock.systemUTC());
        this.streams = new EventStreams(options.heartbeat());
        this.idempotency = new Idempotency(new IdempotentRequests(runtime.database()), Clock.systemUTC());
        this.fileRoutes = new FileRoutes(idempotency, options.heartbeat());
        this.routes = routes();
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
        int settled = idempotency.settleInterrupted();
        if (settled > 0) {
            LOG.log(System.Logger.Level.WARNING, settled + " request(s) with an Idempotency-Key were cut off when the gateway "
                    + "last stopped; a retry is told their outcome is unknown");
        }
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
        fileRoutes.closeAll();
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
            respondQuietly(call, call::internalError);
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

    /** The API, one row per route (DESIGN §4); a path with no row is 404, one with rows of other methods 405. */
    private RouteTable routes() {
        String runner = RUNNERS + "/{runner_id}";
        RouteTable table = new RouteTable()
                .open("GET", "/health", (call, service, path) -> call.json(200, Map.of("status", "ok", "version", Version.current())))
                .add("GET", "/v1/admin/me", (call, service, path) -> whoami(call, service))
                .add("GET", RUNNERS, (call, service, path) -> {
                    Optional<RunnerState> state = call.query("state").map(RunnerState::fromWire);
                    call.json(200, WireFormat.runnerPage(service.list(new RunnerQuery(state,
                            call.queryInt("limit").orElse(RunnerQuery.DEFAULT_LIMIT), call.queryInt("offset").orElse(0)))));
                })
                .add("POST", RUNNERS, idempotency.once((call, service, path) -> call.json(201, WireFormat.runner(
                        service.create(RequestFields.createRequest(call.body()))))))
                .add("GET", runner, (call, service, path) -> call.json(200, WireFormat.runner(service.get(path.get("runner_id")))))
                .add("POST", runner + "/start", idempotency.once((call, service, path) -> call.json(200, WireFormat.session(
                        service.startSession(path.get("runner_id"), RequestFields.integer(call.body(), "ttl_override"))))))
                .add("POST", runner + "/exec", idempotency.once((call, service, path) -> exec(call, service, path.get("runner_id"))))
                .add("POST", runner + "/stop", idempotency.once((call, service, path) -> {
                    String sessionId = RequestFields.sessionId(call, call.body());
                    call.json(200, WireFormat.session(service.stopSession(path.get("runner_id"), sessionId)));
                }))
                .add("POST", runner + "/terminate", idempotency.once((call, service, path) -> call.json(200, WireFormat.runner(
                        service.terminate(path.get("runner_id"))))))
                .add("GET", runner + "/events", (call, service, path) -> call.json(200, WireFormat.eventPage(path.get("runner_id"),
                        service.events(RequestFields.eventQuery(call, Optional.of(path.get("runner_id")))))))
                .add("GET", runner + "/stream", (call, service, path) -> streams.serve(call, service,
                        Optional.of(path.get("runner_id")), RequestFields.resumeFrom(call)))
                .add("GET", runner + "/sessions/{session_id}/recordings/{index}", (call, service, path) -> call.bytes(200,
                        "application/x-asciicast", service.recording(path.get("runner_id"), path.get("session_id"),
                                HttpCall.parseInt("index", path.get("index"))).getBytes(StandardCharsets.UTF_8)))
                .add("GET", runner + "/screenshots/{name}", (call, service, path) -> call.bytes(200, "image/png",
                        service.screenshot(path.get("runner_id"), path.get("name"))))
                .add("GET", EVENTS, (call, service, path) -> call.json(200, WireFormat.eventPage(null,
                        service.events(RequestFields.eventQuery(call, Optional.empty())))))
                .add("GET", EVENTS + "/stream", (call, service, path) -> streams.serve(call, service, Optional.empty(),
                        RequestFields.resumeFrom(call)))
                .add("GET", POLICIES, (call, service, path) -> call.json(200, PolicyJson.toMap(service.policies())))
                .add("PUT", POLICIES, (call, service, path) -> call.json(200, PolicyJson.toMap(
                        service.updatePolicies(PolicyJson.fromMap(call.body())))))
                .add("GET", "/gateway/admin/members", (call, service, path) -> call.json(200, Map.of("members",
                        service.members().stream().map(GatewayServer::member).toList())))
                .add("GET", "/gateway/admin/providers", (call, service, path) -> call.json(200, Map.of("providers",
                        service.providers().stream().map(GatewayServer::provider).toList())))
                // the audit trail: status for any role; checkpoints, events (ascending, as hashed) and the whole check
                // (the result is the body, verified or not) for auditors and admins
                .add("GET", AUDIT + "/status", (call, service, path) -> call.json(200, AuditJson.status(service.auditStatus())))
                .add("GET", AUDIT + "/checkpoints", (call, service, path) -> call.json(200, Map.of("checkpoints",
                        service.auditCheckpoints(call.queryLong("after").orElse(0L), call.queryInt("limit").orElse(1000))
                                .stream().map(AuditCheckpoint::toJson).toList())))
                .add("GET", AUDIT + "/events", (call, service, path) -> call.json(200, Map.of("events",
                        service.auditEvents(call.queryLong("after").orElse(0L), call.queryInt("limit").orElse(1000))
                                .stream().map(AuditChain::fields).toList())))
                .add("GET", AUDIT + "/verify", (call, service, path) -> call.json(200, AuditJson.verification(service.verifyAudit(
                        call.queryLong("from").orElse(1L), call.queryLong("to").orElse(Long.MAX_VALUE), AuditProgress.NONE))));
        return fileRoutes.addTo(table, runner);
    }

    private void route(HttpCall call) throws IOException {
        RouteTable.Match match = routes.match(call.method(), call.segments());
        if (match.access() == RouteTable.Access.OPEN) {
            answer(call, null, match);
            return;
        }
        Principal principal = authenticate(call);
        call.principal = principal;
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
        List<String> s = call.segments();
        if (options.betaDisabled() && s.size() >= 3 && s.get(0).equals("gateway") && s.get(1).equals("admin")) {
            // what the real gateway answers for an account without FF_GATEWAY_MANAGED_RUNNER_BETA, on any such path
            throw new RunnerException.NotFound("Not Found");
        }
        answer(call, runtime.serviceFor(principal), match);
    }

    private static void answer(HttpCall call, RunnerService service, RouteTable.Match match) throws IOException {
        if (match instanceof RouteTable.Match.Found found) {
            found.route().handler().handle(call, service, found.path());
        } else if (match instanceof RouteTable.Match.WrongMethod wrong) {
            methodNotAllowed(call, String.join(", ", wrong.allowed()));
        } else {
            throw new RunnerException.NotFound("no route " + call.method() + " " + call.path());
        }
    }

    private void whoami(HttpCall call, RunnerService service) throws IOException {
        WhoAmI me = service.whoami();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", me.name());
        body.put("role", me.role().wireName());
        body.put("beta_access", !options.betaDisabled());
        body.put("permissions", me.role().permissions().stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
        call.json(200, body);
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

    /** exec; with {@code Accept: application/x-ndjson} the output is streamed as lines, then the result. */
    private void exec(HttpCall call, RunnerService service, String runnerId) throws IOException {
        Map<String, Object> body = call.body();
        String sessionId = RequestFields.sessionId(call, body);
        ExecRequest request = RequestFields.execRequest(body);
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
                    call.startStream(200, "application/x-ndjson", 0);
                    out = call.exchange.getResponseBody();
                }
                call.writeStream(out, (Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Map<String, Object> member(Member m) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("name", m.name());
        member.put("role", m.role().wireName());
        member.put("kind", m.kind());
        m.fingerprint().ifPresent(f -> member.put("fingerprint", f));
        return member;
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

    private static void methodNotAllowed(HttpCall call, String allowed) throws IOException {
        call.exchange.getResponseHeaders().set("Allow", allowed);
        call.error(405, "method_not_allowed", call.method() + " is not allowed on " + call.path() + "; use " + allowed, Map.of());
    }

    private static String hex12() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
