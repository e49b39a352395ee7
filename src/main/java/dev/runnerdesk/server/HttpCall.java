package dev.runnerdesk.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.wire.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP request and its response: JSON in and out, query parameters, the gateway's error shape. */
final class HttpCall {
    static final int MAX_BODY_BYTES = 1024 * 1024;

    final HttpExchange exchange;
    final String requestId;
    final List<String> segments;
    private final Map<String, String> query = new HashMap<>();
    private boolean responded;

    /** A request body over the limit; answered with 413. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("request body over 1 MiB", null, false, false);
        }
    }

    HttpCall(HttpExchange exchange, String requestId) {
        this.exchange = exchange;
        this.requestId = requestId;
        String path = exchange.getRequestURI().getRawPath();
        this.segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(k, v);
            }
        }
        exchange.getResponseHeaders().set("X-Request-Id", requestId);
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getPath();
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
        return query(name).map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new InvalidRequest(name, name + " must be a whole number, got \"" + v + "\"");
            }
        });
    }

    static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequest(name, name + " must be a whole number, got \"" + v + "\"");
        }
    }

    /** The JSON object body; an empty body is an empty object. */
    Map<String, Object> body() throws IOException {
        byte[] bytes = readBody();
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return Json.readObject(text);
        } catch (JsonProcessingException e) {
            throw new InvalidRequest(null, "the request body is not a JSON object: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
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
        byte[] bytes = Json.write(value).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        responded = true;
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
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
        if (e instanceof RunnerException.RateLimited limited) {
            long seconds = Math.max(1, limited.retryAfter().toSeconds());
            exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            extra.put("retry_after_seconds", seconds);
        }
        error(status(e), e.code(), e.getMessage(), extra);
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
        }
        return 503;
    }
}
