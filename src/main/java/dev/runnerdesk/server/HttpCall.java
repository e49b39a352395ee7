package dev.runnerdesk.server;

import com.sun.net.httpserver.HttpExchange;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.WireNames;
import dev.runnerdesk.store.IdempotentRequests;
import dev.runnerdesk.wire.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** One HTTP request and its response: JSON in and out, query parameters, the gateway's error shape. */
final class HttpCall {
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Path and query together; the longest route with its parameters is far below. */
    static final int MAX_TARGET_CHARS = 8 * 1024;
    /** All request headers' names and values together. */
    static final int MAX_HEADER_CHARS = 32 * 1024;
    /** An absolute file path of two or more parts, not inside a URL. */
    private static final Pattern HOST_PATH = Pattern.compile("(?<![\\w.~:/-])/(?:[^\\s/\"':]+/)+[^\\s/\"':,;)]*");

    final HttpExchange exchange;
    final String requestId;
    private List<String> segments;
    private final Map<String, String> query = new HashMap<>();
    private boolean responded;
    /** The caller, once authenticated. */
    Principal principal;
    private byte[] rawBody;
    /** The answer as sent, when {@link #recordAnswer()} asked for it. */
    private ByteArrayOutputStream recorded;
    private int recordedStatus;
    private String recordedType;
    private boolean recordingCut;
    private Consumer<IdempotentRequests.Answer> beforeWholeAnswer;

    /** A request body over the limit; answered with 413. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("request body over 1 MiB", null, false, false);
        }
    }

    /** A request line or headers over their limits; answered with {@code status} before anything else is read. */
    static final class TooLarge extends RuntimeException {
        final int status;
        final String code;

        TooLarge(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** Takes nothing apart yet: that can fail, and a failure needs this call to answer it. */
    HttpCall(HttpExchange exchange, String requestId) {
        this.exchange = exchange;
        this.requestId = requestId;
        exchange.getResponseHeaders().set("X-Request-Id", requestId);
    }

    /** Checks the sizes of the request line and headers, then decodes the path and query (each parameter once). */
    void parseTarget() {
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        int target = (rawPath == null ? 0 : rawPath.length()) + (rawQuery == null ? 0 : rawQuery.length());
        if (target > MAX_TARGET_CHARS) {
            throw new TooLarge(414, "uri_too_long", "the request's path and query are " + target + " characters; the limit is "
                    + MAX_TARGET_CHARS);
        }
        long headers = 0;
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            for (String v : h.getValue()) {
                headers += h.getKey().length() + (v == null ? 0 : v.length());
            }
        }
        if (headers > MAX_HEADER_CHARS) {
            throw new TooLarge(431, "headers_too_large", "the request's headers are " + headers + " characters; the limit is "
                    + MAX_HEADER_CHARS);
        }
        List<String> parts = new ArrayList<>();
        for (String s : (rawPath == null ? "" : rawPath).split("/")) {
            if (!s.isEmpty()) {
                parts.add(decode(s));
            }
        }
        this.segments = List.copyOf(parts);
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (query.putIfAbsent(k, v) != null) {
                    // which of the two counts would be a guess that a proxy and this server may make differently
                    throw new InvalidRequest(k, "the query parameter " + WireNames.quote(k) + " is given more than once");
                }
            }
        }
    }

    /** A %-escaped part; a malformed escape never gets here, the JDK's server refused its URI with a 400. */
    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    /** The decoded path segments; {@link #parseTarget()} first. */
    List<String> segments() {
        return segments;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The caller's IP address: what requests without a valid key are limited and recorded by. */
    String clientAddress() {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    Optional<String> query(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    Optional<Integer> queryInt(String name) {
        return query(name).map(v -> parseInt(name, v));
    }

    Optional<Long> queryLong(String name) {
        return query(name).map(v -> parseLong(name, v));
    }

    static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequest(name, name + " must be a whole number from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + ", got " + WireNames.quote(v));
        }
    }

    static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequest(name, name + " must be a whole number, got " + WireNames.quote(v));
        }
    }

    /** The JSON object body; an empty body is an empty object. */
    Map<String, Object> body() throws IOException {
        byte[] bytes = rawBody();
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return Json.readRequestObject(bytes);
            }
        }
        return new LinkedHashMap<>();
    }

    /** The body's bytes, read once (at most {@value #MAX_BODY_BYTES}). */
    byte[] rawBody() throws IOException {
        if (rawBody == null) {
            rawBody = readBody();
        }
        return rawBody;
    }

    private byte[] readBody() throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    throw new BodyTooLarge();
                }
            } catch (NumberFormatException ignored) {
                // read and count instead
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    throw new BodyTooLarge();
                }
            }
        }
        return out.toByteArray();
    }

    boolean responded() {
        return responded;
    }

    void json(int status, Object value) throws IOException {
        bytes(status, "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** A whole answer; JSON or not (a recording, a screenshot). */
    void bytes(int status, String contentType, byte[] body) throws IOException {
        if (recorded != null && beforeWholeAnswer != null && body.length <= MAX_RECORDED_BYTES) {
            // kept before it is sent: a client that has it may send its request again at once
            beforeWholeAnswer.accept(new IdempotentRequests.Answer(status, contentType, body));
        }
        startStream(status, contentType, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            writeStream(out, body);
        }
    }

    /** Sends the status and headers of an answer whose body follows ({@code length} 0: of unknown length). */
    void startStream(int status, String contentType, long length) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        responded = true;
        if (recorded != null) {
            recordedStatus = status;
            recordedType = contentType;
        }
        exchange.sendResponseHeaders(status, length);
    }

    /** Writes part of the body (and keeps it, when the answer is recorded). */
    void writeStream(OutputStream out, byte[] part) throws IOException {
        if (recorded != null && !recordingCut) {
            if (recorded.size() + part.length > MAX_RECORDED_BYTES) {
                recordingCut = true;
            } else {
                recorded.write(part);
            }
        }
        out.write(part);
    }

    /** The most of an answer that is kept to be sent again. */
    static final int MAX_RECORDED_BYTES = 32 * 1024 * 1024;

    /**
     * From now on, what is sent is also kept, for {@link #recordedAnswer()}; a whole answer (not a stream) goes to
     * {@code beforeSend} before it is sent.
     */
    void recordAnswer(Consumer<IdempotentRequests.Answer> beforeSend) {
        recorded = new ByteArrayOutputStream();
        beforeWholeAnswer = beforeSend;
    }

    /** The answer sent since {@link #recordAnswer()}; empty when nothing was sent, or it was over the limit. */
    Optional<IdempotentRequests.Answer> recordedAnswer() {
        if (recorded == null || !responded || recordingCut) {
            return Optional.empty();
        }
        return Optional.of(new IdempotentRequests.Answer(recordedStatus, recordedType, recorded.toByteArray()));
    }

    /** The answer of a request for which something went wrong inside this server: no detail, but the request id. */
    void internalError() throws IOException {
        error(500, "internal_error", "the gateway failed to handle this request; quote request id " + requestId, Map.of());
    }

    void error(int status, String code, String message, Map<String, Object> extra) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("request_id", requestId);
        error.putAll(extra);
        json(status, Map.of("error", error));
    }

    void error(RunnerException e) throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        if (e instanceof InvalidRequest invalid) {
            invalid.field().ifPresent(f -> extra.put("field", f));
        }
        if (e instanceof RunnerException.TooLarge tooLarge) {
            extra.put("limit_bytes", tooLarge.limitBytes());
        }
        if (e instanceof RunnerException.RateLimited limited) {
            long seconds = Math.max(1, limited.retryAfter().toSeconds());
            exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            extra.put("retry_after_seconds", seconds);
        }
        int status = status(e);
        // a provider's or the disk's failure may quote where on this host it happened: that is for the log only
        String message = status >= 500 ? HOST_PATH.matcher(e.getMessage()).replaceAll("<path>") : e.getMessage();
        error(status, e.code(), message, extra);
    }

    static int status(RunnerException e) {
        if (e instanceof RunnerException.NotFound || e instanceof RunnerException.BetaNotEnabled) {
            return 404;
        } else if (e instanceof RunnerException.Unauthorized) {
            return 401;
        } else if (e instanceof RunnerException.Forbidden || e instanceof RunnerException.PolicyDenied) {
            return 403;
        } else if (e instanceof RunnerException.RateLimited) {
            return 429;
        } else if (e instanceof InvalidRequest) {
            return 400;
        } else if (e instanceof RunnerException.Conflict) {
            return 409;
        } else if (e instanceof RunnerException.BadAnswer) {
            return 502;
        } else if (e instanceof RunnerException.TooLarge) {
            return 413;
        }
        return 503;
    }
}
