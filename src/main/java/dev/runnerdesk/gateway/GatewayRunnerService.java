package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditExport;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.wire.PolicyJson;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@link RunnerService} over a Curate-Me-compatible gateway's REST API (DESIGN §4), with OkHttp and
 * Jackson. Reads tolerantly, retries only what is safe, and turns every failure into a typed error.
 */
public final class GatewayRunnerService implements RunnerService {
    static final String RUNNERS = "/gateway/admin/runners/";
    static final String EVENTS = "/gateway/admin/events/";
    private static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "runnerdesk-gateway-events");
        t.setDaemon(true);
        return t;
    });
    /** How long past its own timeout an exec may take to answer (queueing, provisioning, the network). */
    private static final Duration EXEC_GRACE = Duration.ofSeconds(30);

    private final GatewayConnection connection;
    private static final System.Logger LOG = System.getLogger(GatewayRunnerService.class.getName());
    private final GatewayHttp http;
    /** The gateway answered 404 on {@code GET /gateway/admin/events}: all-runner pages are merged from runners' own. */
    private volatile boolean noAllEventsRoute;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final GatewayAudit audit;
    private final GatewayFiles files;

    public GatewayRunnerService(GatewayConnection connection) {
        this.connection = connection;
        this.http = new GatewayHttp(connection);
        this.audit = new GatewayAudit(http);
        this.files = new GatewayFiles(http, GatewayRunnerService::runnerPath, this::get);
    }

    public GatewayConnection connection() {
        return connection;
    }

    /** {@code GET /health}: whether anything answers at the URL (no key needed). */
    public boolean healthy() {
        Request request = new Request.Builder().url(http.url("/health", Map.of())).get().build();
        try (var response = http.client.newCall(request).execute()) {
            return response.isSuccessful();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Runner create(CreateRunnerRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider_type", request.providerType().wireName());
        body.put("tool_profile", request.toolProfile().wireName());
        body.put("ttl_seconds", request.ttlSeconds());
        request.imageRef().ifPresent(ref -> body.put("image_ref", ref));
        return acted("the runner may have been created: look at the list before creating it again", () -> GatewayResponses.runner(
                http.post(RUNNERS, Map.of(), body, GatewayHttp.NotFoundMeans.BETA_NOT_ENABLED, null, request.idempotencyKey())));
    }

    @Override
    public RunnerPage list(RunnerQuery query) {
        Map<String, String> params = new HashMap<>();
        query.state().ifPresent(s -> params.put("state", s.wireName()));
        params.put("limit", Integer.toString(query.limit()));
        params.put("offset", Integer.toString(query.offset()));
        return GatewayResponses.runnerPage(http.getPage(RUNNERS, params, GatewayHttp.NotFoundMeans.BETA_NOT_ENABLED,
                GatewayResponses.RUNNER_LISTS, query.limit()), query.limit(), query.offset());
    }

    @Override
    public Runner get(String runnerId) {
        return GatewayResponses.runner(http.get(runnerPath(runnerId), Map.of(), GatewayHttp.NotFoundMeans.MISSING_ID));
    }

    @Override
    public Session startSession(String runnerId, Optional<Integer> ttlOverrideSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        ttlOverrideSeconds.ifPresent(ttl -> body.put("ttl_override", ttl));
        return acted("a session may have been started: look at the runner before starting another", () -> GatewayResponses.session(
                http.post(runnerPath(runnerId) + "/start", Map.of(), body, GatewayHttp.NotFoundMeans.MISSING_ID, null), runnerId));
    }

    @Override
    public ExecResult exec(String runnerId, String sessionId, ExecRequest request, OutputListener output) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("argv", request.argv());
        body.put("timeout_seconds", request.timeoutSeconds());
        Duration callTimeout = Duration.ofSeconds(Math.max(1, request.timeoutSeconds())).plus(EXEC_GRACE);
        Map<String, String> query = new HashMap<>();
        query.put("session_id", requireId("session_id", sessionId));
        if (output == OutputListener.NONE) {
            return acted(COMMAND_MAY_HAVE_RUN, () -> GatewayResponses.execResult(http.post(runnerPath(runnerId) + "/exec", query,
                    body, GatewayHttp.NotFoundMeans.MISSING_ID, callTimeout)));
        }
        // ask for the output as it is produced; a gateway that does not stream answers with the plain result
        Request httpRequest = GatewayHttp.acting(http.request(http.url(runnerPath(runnerId) + "/exec", query)), Optional.empty())
                .header("Accept", "application/x-ndjson, application/json")
                .post(RequestBody.create(Json.write(body), MediaType.get("application/json"))).build();
        return acted(COMMAND_MAY_HAVE_RUN, () -> http.execute(httpRequest, false, GatewayHttp.NotFoundMeans.MISSING_ID, callTimeout, response -> {
            String type = response.header("Content-Type", "");
            if (!type.startsWith("application/x-ndjson")) {
                ExecResult result = GatewayResponses.execResult(GatewayHttp.readJson(response.body()));
                StreamedExec.deliver(output, result);
                return result;
            }
            return StreamedExec.read(response.body().source(), output);
        }));
    }

    /** Never a terminal: the gateway API has no route for one ({@link #providers} reports none, to match). */
    @Override
    public Terminal openTerminal(String runnerId, String sessionId, TerminalSize size, TerminalListener listener) {
        throw new RunnerException.Unavailable("the gateway API has no interactive terminal route; commands run one at a"
                + " time through exec");
    }

    @Override
    public String recording(String runnerId, String sessionId, int index) {
        Request request = http.request(http.url(runnerPath(runnerId) + "/sessions/" + requireId("session_id", sessionId)
                + "/recordings/" + index, Map.of())).header("Accept", "application/x-asciicast").get().build();
        // the largest recording cap, and the line that ends a cut recording
        long max = ProfilePolicy.RECORDING_CAP.max() * 1024L * 1024 + 64 * 1024;
        return http.execute(request, true, GatewayHttp.NotFoundMeans.MISSING_ID, null, response -> new String(
                GatewayHttp.readBounded(response.body(), max, "recording"), StandardCharsets.UTF_8));
    }

    @Override
    public byte[] screenshot(String runnerId, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,100}\\.png")) {
            throw new RunnerException.InvalidRequest("name", "a screenshot name is letters, digits, '-' and '_' ending in"
                    + " .png, got \"" + name + "\"");
        }
        Request request = http.request(http.url(runnerPath(runnerId) + "/screenshots/" + name, Map.of()))
                .header("Accept", "image/png").get().build();
        return http.execute(request, true, GatewayHttp.NotFoundMeans.MISSING_ID, null, response ->
                GatewayHttp.readBounded(response.body(), MAX_SCREENSHOT_BYTES, "screenshot"));
    }

    @Override
    public Session stopSession(String runnerId, String sessionId) {
        Map<String, String> query = Map.of("session_id", requireId("session_id", sessionId));
        return acted("the session may have been stopped: look at the runner", () -> GatewayResponses.session(http.post(
                runnerPath(runnerId) + "/stop", query, null, GatewayHttp.NotFoundMeans.MISSING_ID, null), runnerId));
    }

    @Override
    public Runner terminate(String runnerId) {
        return acted("the runner may have been terminated: look at the list", () -> GatewayResponses.runner(http.post(
                runnerPath(runnerId) + "/terminate", Map.of(), null, GatewayHttp.NotFoundMeans.MISSING_ID, null)));
    }

    private static final String COMMAND_MAY_HAVE_RUN = "the command may have run: look at the runner's events before running "
            + "it again";

    /**
     * A call that acts: an answer that cannot be read, or that did not come once the request was out, leaves its outcome
     * unknown; the error then says so and what to look at ({@code check}).
     */
    private static <T> T acted(String check, Supplier<T> call) {
        try {
            return call.get();
        } catch (RunnerException.BadAnswer e) {
            throw new RunnerException.BadAnswer(e.getMessage() + "; " + check, true, e);
        }
    }

    @Override
    public EventPage events(EventQuery query) {
        Map<String, String> params = new HashMap<>();
        params.put("limit", Integer.toString(query.limit()));
        query.beforeSeq().ifPresent(b -> params.put("before", Long.toString(b)));
        if (!query.types().isEmpty()) {
            params.put("types", String.join(",", new TreeSet<>(query.types())));
        }
        query.sessionId().ifPresent(v -> params.put("session_id", v));
        query.actor().ifPresent(v -> params.put("actor", v));
        query.from().ifPresent(v -> params.put("since", v.toString()));
        query.to().ifPresent(v -> params.put("until", v.toString()));
        query.text().ifPresent(v -> params.put("q", v));
        if (query.runnerId().isPresent()) {
            return GatewayResponses.eventPage(http.get(runnerPath(query.runnerId().get()) + "/events", params,
                    GatewayHttp.NotFoundMeans.MISSING_ID), query.limit());
        }
        if (!noAllEventsRoute) {
            try {
                return GatewayResponses.eventPage(http.get(EVENTS, params, GatewayHttp.NotFoundMeans.MISSING_ID), query.limit());
            } catch (RunnerException.NotFound e) {
                // only the runner routes decide whether the account has the beta; this one is RunnerDesk's own
                noAllEventsRoute = true;
                LOG.log(System.Logger.Level.INFO, MergedEventPages.RUNNERS_READ);
            }
        }
        return MergedEventPages.page(query, this::list, (id, own) -> events(own));
    }

    @Override
    public Subscription subscribe(Optional<String> runnerId, long afterSeq, EventListener listener) {
        if (afterSeq < ONLY_NEW) {
            throw new InvalidRequest("after_seq", "after_seq must be 0 or more (or ONLY_NEW), got " + afterSeq);
        }
        runnerId.ifPresent(this::get); // an unknown runner is NotFound here, so a 404 on /stream means "no stream route"
        GatewaySubscription.Polling polling = runnerId.isPresent() ? GatewaySubscription.paged(runnerId, this::events)
                : MergedEventPolling.ofAllRunners(this::events, this::list, () -> noAllEventsRoute);
        GatewaySubscription subscription = new GatewaySubscription(http, runnerId, afterSeq, listener, polling, SCHEDULER);
        subscription.start();
        subscriptions.add(subscription);
        return new Subscription() {
            @Override
            public void close() {
                subscription.close();
                subscriptions.remove(subscription);
            }

            @Override
            public String note() {
                return subscription.note();
            }
        };
    }

    @Override
    public Policies policies() {
        try {
            return PolicyJson.fromMap(http.get(POLICIES, Map.of(), GatewayHttp.NotFoundMeans.MISSING_ID));
        } catch (RunnerException.NotFound e) {
            throw noPolicyRoute();
        }
    }

    @Override
    public Policies updatePolicies(Policies policies) {
        try {
            return PolicyJson.fromMap(http.put(POLICIES, PolicyJson.toMap(policies), GatewayHttp.NotFoundMeans.MISSING_ID));
        } catch (RunnerException.NotFound e) {
            throw noPolicyRoute();
        }
    }

    private static final String POLICIES = "/gateway/admin/policies";
    /** A screenshot of a 4K screen as PNG stays far below it. */
    private static final long MAX_SCREENSHOT_BYTES = 32L * 1024 * 1024;

    private static RunnerException.NotFound noPolicyRoute() {
        return new RunnerException.NotFound("this gateway has no policy route (" + POLICIES + ", RunnerDesk's own): its "
                + "policies are kept on the gateway and cannot be read or edited here");
    }

    @Override
    public WhoAmI whoami() {
        Map<String, Object> me;
        try {
            me = http.get("/v1/admin/me", Map.of(), GatewayHttp.NotFoundMeans.MISSING_ID);
        } catch (RunnerException.NotFound e) {
            // a gateway without the route: the key works if listing does; beta access is what listing says
            return new WhoAmI("API key", Role.OPERATOR, hasBetaAccess(), "gateway " + connection.host());
        }
        boolean beta = me.get("beta_access") instanceof Boolean b ? b : hasBetaAccess();
        String name = GatewayResponses.firstString(me, "name", "key_name", "email").orElse("API key");
        return new WhoAmI(name, GatewayResponses.role(me.get("role")), beta, "gateway " + connection.host());
    }

    private boolean hasBetaAccess() {
        try {
            list(new RunnerQuery(Optional.empty(), 1, 0));
            return true;
        } catch (RunnerException.BetaNotEnabled e) {
            return false;
        }
    }

    @Override
    public List<Member> members() {
        try {
            Map<String, Object> body = http.get("/gateway/admin/members", Map.of(), GatewayHttp.NotFoundMeans.MISSING_ID);
            return GatewayResponses.members(body);
        } catch (RunnerException.NotFound e) {
            WhoAmI me = whoami(); // a gateway that does not list its members: at least you
            return List.of(new Member(me.name(), me.role(), Member.API_KEY, Optional.empty()));
        }
    }

    @Override
    public AuditStatus auditStatus() {
        return audit.status();
    }

    @Override
    public List<AuditCheckpoint> auditCheckpoints(long afterNumber, int limit) {
        return audit.checkpoints(afterNumber, limit);
    }

    @Override
    public List<AuditEvent> auditEvents(long afterSeq, int limit) {
        return audit.events(afterSeq, limit);
    }

    @Override
    public ChainVerification verifyAudit(long fromSeq, long toSeq, AuditProgress progress) {
        return audit.verify(fromSeq, toSeq);
    }

    // workspace files and metrics: optional routes (RunnerDesk's serve has them), see GatewayFiles
    @Override
    public List<FileEntry> listFiles(String runnerId, String folder) {
        return files.list(runnerId, folder);
    }

    @Override
    public FileEntry statFile(String runnerId, String path) {
        return files.stat(runnerId, path);
    }

    @Override
    public FileEntry readFile(String runnerId, String path, long offset, long length, OutputStream sink) {
        return files.read(runnerId, path, offset, length, sink);
    }

    @Override
    public FileEntry writeFile(String runnerId, String path, InputStream content) {
        return files.write(runnerId, path, content);
    }

    @Override
    public FileEntry makeFolder(String runnerId, String path) {
        return files.makeFolder(runnerId, path);
    }

    @Override
    public FileEntry moveFile(String runnerId, String from, String to) {
        return files.move(runnerId, from, to);
    }

    @Override
    public void deleteFile(String runnerId, String path, boolean recursive) {
        files.delete(runnerId, path, recursive);
    }

    @Override
    public Subscription watchFiles(String runnerId, String folder, FileWatchListener listener) {
        Subscription watch = files.watch(runnerId, folder, listener, subscriptions::remove);
        subscriptions.add(watch);
        return watch;
    }

    @Override
    public List<MetricsSample> metrics(String runnerId, Instant since) {
        return files.metrics(runnerId, since);
    }

    @Override
    public List<ProviderInfo> providers() {
        try {
            Map<String, Object> body = http.get("/gateway/admin/providers", Map.of(), GatewayHttp.NotFoundMeans.MISSING_ID);
            return GatewayResponses.providers(body);
        } catch (RunnerException.NotFound e) {
            // the gateway does not say: offer the seed's providers and let it decide on create
            return List.of(ProviderInfo.available(ProviderType.E2B, false), ProviderInfo.available(ProviderType.FAKE, false),
                    ProviderInfo.available(ProviderType.CLAUDE_COMPUTER_USE, false));
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");

    /** An id as a message may show it: no control or other unprintable character (a terminal would act on it). */
    private static String shown(String id) {
        String printable = id.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "…";
    }

    private static String runnerPath(String runnerId) {
        return RUNNERS + requireId("runner_id", runnerId);
    }

    private static String requireId(String field, String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidRequest(field, field + " is required");
        }
        // one path segment, as sent: "." and ".." would be resolved away (runners/../terminate is another route)
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new InvalidRequest(field, field + " \"" + shown(id) + "\" is not an id (letters, digits,"
                    + " '_', '-', '.' and ':', at most 200)");
        }
        return id;
    }
}
