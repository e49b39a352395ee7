package dev.runnerdesk.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runnerdesk.core.InterruptWatch;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException.Unavailable;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Version;
import dev.runnerdesk.wire.Json;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP side of the gateway client: one shared {@link OkHttpClient}, the key header, retries of what
 * is safe to retry (GETs, on 5xx and I/O failures), and every failure turned into a typed error with a
 * message a person can act on. The key never appears in a message or log.
 */
final class GatewayHttp {
    static final OkHttpClient SHARED = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private static final MediaType JSON = MediaType.get("application/json");
    static final int MAX_ATTEMPTS = 3;
    private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(10);

    /** Whether a 404 on a route means "no such runner" or "this account has no runners beta". */
    enum NotFoundMeans {
        BETA_NOT_ENABLED, MISSING_ID,
        /**
         * An optional route (the workspace files' and metrics'): a 404 without {@link #FILE_ROUTES_HEADER} is a gateway
         * without the route, {@link Unavailable} caused by {@link NoRoute} (never retried); with it, a missing id.
         */
        FILE_ROUTE
    }

    /** What RunnerDesk's own serve sends with every answer of its file routes. */
    static final String FILE_ROUTES_HEADER = "RunnerDesk-Files";

    /** The cause of the {@link Unavailable} of a 404 on an optional route the gateway does not have. */
    static final class NoRoute extends Exception {
        NoRoute(String path) {
            super("no route " + path, null, false, false);
        }
    }

    /** A call timeout that sets no deadline for the whole call: each read and write has the read timeout (transfers). */
    static final Duration PER_READ_ONLY = Duration.ZERO;

    private final GatewayConnection connection;
    final OkHttpClient client;

    GatewayHttp(GatewayConnection connection) {
        this.connection = connection;
        // derived clients share the connection pool and dispatcher of the one client
        this.client = SHARED.newBuilder()
                .connectTimeout(connection.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(connection.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(connection.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    HttpUrl url(String path, Map<String, String> query) {
        HttpUrl base = HttpUrl.get(connection.baseUrl().toString());
        HttpUrl.Builder b = base.newBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                b.addPathSegment(segment);
            }
        }
        if (path.endsWith("/")) {
            b.addPathSegment("");
        }
        query.forEach((k, v) -> {
            if (v != null) {
                b.addQueryParameter(k, v);
            }
        });
        return b.build();
    }

    Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url)
                .header("X-CM-API-Key", connection.apiKey())
                .header("Accept", "application/json")
                .header("User-Agent", "RunnerDesk/" + Version.current());
    }

    Map<String, Object> get(String path, Map<String, String> query, NotFoundMeans notFound) {
        return send(request(url(path, query)).get().build(), true, notFound, null);
    }

    /** A GET of a page: each of {@code lists} in the answer holds at most {@code limit} items (see {@link CappedPage}). */
    Map<String, Object> getPage(String path, Map<String, String> query, NotFoundMeans notFound, Set<String> lists, int limit) {
        return execute(request(url(path, query)).get().build(), true, notFound, null,
                response -> CappedPage.read(response.body(), MAX_JSON_BYTES, lists, limit));
    }

    /**
     * A POST, which acts: sent once, with an {@code Idempotency-Key} ({@code key}, or a new one) so that a gateway that
     * honours it never acts twice for it.
     */
    Map<String, Object> post(String path, Map<String, String> query, Object body, NotFoundMeans notFound, Duration callTimeout,
                             Optional<String> key) {
        RequestBody payload = RequestBody.create(Json.write(body == null ? Map.of() : body), JSON);
        return send(acting(request(url(path, query)), key).post(payload).build(), false, notFound, callTimeout);
    }

    Map<String, Object> post(String path, Map<String, String> query, Object body, NotFoundMeans notFound, Duration callTimeout) {
        return post(path, query, body, notFound, callTimeout, Optional.empty());
    }

    /** The request of a call that acts, with its {@code Idempotency-Key}. */
    static Request.Builder acting(Request.Builder request, Optional<String> key) {
        return request.header("Idempotency-Key", key.orElseGet(() -> UUID.randomUUID().toString()));
    }

    Map<String, Object> put(String path, Object body, NotFoundMeans notFound) {
        RequestBody payload = RequestBody.create(Json.write(body), JSON);
        return send(request(url(path, Map.of())).put(payload).build(), false, notFound, null);
    }

    /** Sends, retrying only when {@code idempotent}; the JSON object of a 2xx answer, else a typed error. */
    Map<String, Object> send(Request request, boolean idempotent, NotFoundMeans notFound, Duration callTimeout) {
        return execute(request, idempotent, notFound, callTimeout, response -> readJson(response.body()));
    }

    <T> T execute(Request request, boolean idempotent, NotFoundMeans notFound, Duration callTimeout,
                  Function<Response, T> onSuccess) {
        RunnerException last = null;
        // one deadline for the whole call, retries included: the caller's own (a long exec's), else the connection's
        // (a transfer's, PER_READ_ONLY, has none: the deadline then only bounds when another attempt may start)
        boolean whole = callTimeout == null || !callTimeout.isZero();
        long deadlineNanos = System.nanoTime() + (callTimeout != null && whole ? callTimeout : connection.deadline()).toNanos();
        for (int attempt = 1; attempt <= (idempotent ? MAX_ATTEMPTS : 1); attempt++) {
            Call call = client.newCall(request);
            if (whole) {
                call.timeout().timeout(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            Duration wait = backoff(attempt);
            // a cancelled task is interrupted, which OkHttp's blocking read does not notice: the watch aborts the call
            try (InterruptWatch.Handle watch = InterruptWatch.watch(call::cancel); Response response = call.execute()) {
                if (response.isSuccessful()) {
                    return onSuccess.apply(response);
                }
                last = errorOf(response, notFound);
                if (!(last instanceof Unavailable) || last.getCause() instanceof NoRoute) {
                    throw last;
                }
                wait = retryAfter(response).orElse(wait);
            } catch (IOException e) {
                last = idempotent ? ioError(e) : actingIoError(e);
            } catch (UncheckedIOException e) {
                last = idempotent ? ioError(e.getCause()) : actingIoError(e.getCause());
            } catch (RunnerException.BadAnswer e) {
                throw idempotent || e.mayHaveActed() ? e : new RunnerException.BadAnswer(e.getMessage(), true, e);
            }
            if (Thread.currentThread().isInterrupted()) {
                // the person cancelled: the call was aborted, and is not tried again
                throw idempotent ? new Unavailable("the call to the gateway at " + connection.host() + " was cancelled")
                        : last;
            }
            if (attempt < (idempotent ? MAX_ATTEMPTS : 1)) {
                if (System.nanoTime() + wait.toNanos() >= deadlineNanos) {
                    break; // no time left for another attempt
                }
                sleep(wait);
            }
        }
        throw last;
    }

    /** An {@link IOException} while reading a body that a success handler wraps. */
    static final class UncheckedIOException extends RuntimeException {
        UncheckedIOException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    static Map<String, Object> readJson(ResponseBody body) {
        return parse(new String(readBounded(body, MAX_JSON_BYTES, "answer"), StandardCharsets.UTF_8));
    }

    /** The most a JSON answer may hold: pages are asked for at most 1,000 items, far below it. */
    static final long MAX_JSON_BYTES = 8L * 1024 * 1024;

    /**
     * The body's bytes, at most {@code max}: a larger one is refused before it is read (by its length) or as soon as it
     * passes the limit, so a gateway that answers far more than asked for cannot fill memory or hold up the caller.
     */
    static byte[] readBounded(ResponseBody body, long max, String what) {
        if (body.contentLength() > max) {
            throw tooLarge(body.contentLength(), max, what);
        }
        try {
            BufferedSource source = body.source();
            if (source.request(max + 1)) {
                throw tooLarge(-1, max, what);
            }
            return source.readByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RunnerException.BadAnswer tooLarge(long length, long max, String what) {
        return new RunnerException.BadAnswer("the gateway's " + what + " is " + (length > 0 ? "of " + mebibytes(length)
                : "over " + mebibytes(max)) + ", more than this client reads (" + mebibytes(max) + "); it was not read");
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    static Map<String, Object> parse(String text) {
        try {
            return Json.readObject(text);
        } catch (JsonProcessingException e) {
            throw invalidResponse(text.isBlank() ? "an empty body" : "not a JSON object");
        }
    }

    static RunnerException.BadAnswer invalidResponse(String what) {
        return new RunnerException.BadAnswer("the gateway sent an invalid response (" + what + ")");
    }

    /**
     * A call that acts failed on the way: before the request went out (the host unknown, the connection refused)
     * nothing was done; after it, whether it was done is unknown.
     */
    private RunnerException actingIoError(IOException e) {
        RunnerException error = ioError(e);
        if (e instanceof UnknownHostException || e instanceof ConnectException || error instanceof RunnerException.BadAnswer bad
                && bad.mayHaveActed()) {
            return error;
        }
        return new RunnerException.BadAnswer(error.getMessage(), true, e);
    }

    RunnerException ioError(IOException e) {
        String host = connection.host();
        if (e instanceof BoundedRecords.TooLong) {
            return new RunnerException.BadAnswer(e.getMessage(), false, e);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new Unavailable("the gateway at " + host + " did not answer in time", e);
        }
        if (e instanceof UnknownHostException) {
            return new Unavailable("cannot find the gateway host " + connection.baseUrl().getHost()
                    + " (check the URL and your network)", e);
        }
        if (e instanceof ConnectException) {
            return new Unavailable("cannot connect to the gateway at " + host + " (is it running?)", e);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("unexpected end of stream") || message.contains("closed") || e instanceof EOFException) {
            return new RunnerException.BadAnswer("the gateway sent an invalid response (the connection closed mid-answer)",
                    false, e);
        }
        return new Unavailable("the connection to the gateway at " + host + " failed: " + message, e);
    }

    /** The typed error of a non-2xx answer, with the gateway's own message where it sent one. */
    static RunnerException errorOf(Response response, NotFoundMeans notFound) {
        int status = response.code();
        String code = null;
        String message = null;
        String field = null;
        String requestId = null;
        long limitBytes = -1;
        try {
            String text = response.body().string();
            Map<String, Object> body = Json.readObject(text);
            if (body.get("error") instanceof Map<?, ?> error) {
                code = str(error.get("code"));
                message = str(error.get("message"));
                field = str(error.get("field"));
                requestId = str(error.get("request_id"));
                limitBytes = error.get("limit_bytes") instanceof Number n ? n.longValue() : -1;
            } else if (body.get("detail") instanceof String detail) { // FastAPI's shape
                message = detail;
            } else if (body.get("message") instanceof String m) {
                message = m;
            }
        } catch (IOException | RuntimeException ignored) {
            // no readable body: the status alone decides
        }
        String suffix = requestId != null ? " (request " + requestId + ")" : "";
        String said = message != null && !message.isBlank() ? message : null;
        if (status == 404 && notFound == NotFoundMeans.FILE_ROUTE && response.header(FILE_ROUTES_HEADER) == null) {
            return new Unavailable("the gateway has no route " + response.request().url().encodedPath(),
                    new NoRoute(response.request().url().encodedPath()));
        }
        if (status == 413 && "too_large".equals(code)) {
            return new RunnerException.TooLarge((said != null ? said : "the upload is larger than the gateway allows") + suffix,
                    limitBytes);
        }
        switch (status) {
            case 400, 413, 422 -> {
                return new InvalidRequest(field, (said != null ? said : "the gateway refused the request as invalid (HTTP " + status + ")") + suffix);
            }
            case 401 -> {
                return new RunnerException.Unauthorized("the gateway did not accept the API key"
                        + (said != null ? ": " + said : "") + "; check or replace the key" + suffix);
            }
            case 403 -> {
                if ("policy_denied".equals(code)) {
                    return new RunnerException.PolicyDenied((said != null ? said : "a policy refused the call") + suffix);
                }
                return new RunnerException.Forbidden((said != null ? said : "your key's role may not do this") + suffix);
            }
            case 404 -> {
                if ("beta_not_enabled".equals(code) || notFound == NotFoundMeans.BETA_NOT_ENABLED) {
                    return new RunnerException.BetaNotEnabled("managed runners are not enabled for this account "
                            + "(the gateway answers 404 on the runner routes): they are in private beta; request access"
                            + " to be added to the allowlist" + suffix);
                }
                return new RunnerException.NotFound((said != null && !said.equalsIgnoreCase("not found") ? said
                        : "not found on the gateway: " + response.request().url().encodedPath()) + suffix);
            }
            case 409 -> {
                return new RunnerException.Conflict((said != null ? said : "the runner is not in a state that allows this") + suffix);
            }
            case 429 -> {
                Duration after = retryAfter(response).orElse(Duration.ofSeconds(1));
                return new RunnerException.RateLimited("the gateway's rate limit was reached; retry in "
                        + Math.max(1, after.toSeconds()) + " s" + suffix, after);
            }
            default -> {
                if (status >= 500) {
                    return new Unavailable("the gateway failed (HTTP " + status + ")" + (said != null ? ": " + said : "") + suffix);
                }
                return new InvalidRequest(field, (said != null ? said : "the gateway refused the request (HTTP " + status + ")") + suffix);
            }
        }
    }

    static Optional<Duration> retryAfter(Response response) {
        String value = response.header("Retry-After");
        if (value == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value.trim());
            Duration d = Duration.ofSeconds(Math.max(0, seconds));
            return Optional.of(d.compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : d);
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: fall back to our own backoff
        }
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(250L << (attempt - 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting to retry the gateway");
        }
    }

    private static String str(Object o) {
        return o instanceof String s ? s : null;
    }
}
