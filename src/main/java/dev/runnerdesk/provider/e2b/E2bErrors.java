package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.wire.Json;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * E2B's three error shapes — control plane {@code {"code":<int>,"message"}}, envd REST
 * {@code {"message","code":<int>}} and Connect {@code {"code":"<string>","message"}} — as our typed errors,
 * keeping E2B's message. A refused E2B key is {@link RunnerException.Unavailable} (the provider cannot
 * work), not our own caller's 401.
 */
final class E2bErrors {
    /** E2B's table for HTTP answers that are not Connect errors (a proxy answered), envd/client_shared.py. */
    private static final Map<Integer, String> PLAIN_HTTP_CODES = Map.ofEntries(Map.entry(400, "invalid_argument"),
            Map.entry(401, "unauthenticated"), Map.entry(403, "permission_denied"), Map.entry(404, "not_found"),
            Map.entry(409, "already_exists"), Map.entry(413, "resource_exhausted"), Map.entry(429, "resource_exhausted"),
            Map.entry(499, "canceled"), Map.entry(500, "internal"), Map.entry(501, "unimplemented"),
            Map.entry(502, "unavailable"), Map.entry(503, "unavailable"), Map.entry(504, "deadline_exceeded"),
            Map.entry(505, "unimplemented"));

    private E2bErrors() {
    }

    /** The message of an error body of any shape, or the body itself (shortened) when it has none. */
    static String message(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
            if (node != null && node.path("error").hasNonNull("message")) {
                return node.path("error").get("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON
        }
        String text = body == null ? "" : body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** A control-plane or envd REST answer with status {@code status}. */
    static RunnerException http(String what, int status, String body, Optional<Duration> retryAfter) {
        String msg = message(body);
        String said = "E2B answered " + status + (msg.isEmpty() ? "" : ": " + msg);
        return switch (status) {
            case 400, 422 -> new RunnerException.InvalidRequest(null, what + ": " + said);
            case 401, 403 -> new RunnerException.Unavailable(what + ": E2B refused the API key (" + status + (msg.isEmpty()
                    ? "" : ": " + msg) + "); check it in Settings → Provider keys or E2B_API_KEY");
            case 404, 410 -> new RunnerException.NotFound(what + ": " + said);
            case 409 -> new RunnerException.Conflict(what + ": " + said);
            case 429 -> new RunnerException.RateLimited(what + ": " + said + "; try again later",
                    retryAfter.orElse(Duration.ofSeconds(1)));
            default -> new RunnerException.Unavailable(what + ": " + said);
        };
    }

    /** A Connect error ({@code code} is Connect's string code). */
    static RunnerException connect(String what, String code, String message) {
        String said = "envd: " + code + (message == null || message.isEmpty() ? "" : ": " + message);
        return switch (code) {
            case "invalid_argument", "out_of_range", "failed_precondition" -> new RunnerException.InvalidRequest(null, what + ": " + said);
            case "not_found" -> new RunnerException.NotFound(what + ": " + said);
            case "already_exists", "aborted" -> new RunnerException.Conflict(what + ": " + said);
            case "resource_exhausted" -> new RunnerException.RateLimited(what + ": " + said, Duration.ofSeconds(1));
            case "unauthenticated", "permission_denied" -> new RunnerException.Unavailable(what
                    + ": the sandbox refused its access token (" + said + ")");
            case "unavailable" -> new RunnerException.Unavailable(what + ": the sandbox is gone or timed out (" + said + ")");
            default -> new RunnerException.Unavailable(what + ": " + said);
        };
    }

    /** A Connect call answered with a non-200 status: a Connect error body, or a plain one mapped by E2B's table. */
    static RunnerException connectHttp(String what, int status, String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node != null && node.path("code").isTextual()) {
                return connect(what, node.get("code").asText(), node.path("message").asText(""));
            }
        } catch (IOException | RuntimeException e) {
            // a proxy's answer
        }
        if (status == 401 || status == 403) {
            return http(what, status, body, Optional.empty());
        }
        return connect(what, PLAIN_HTTP_CODES.getOrDefault(status, "unknown"), message(body));
    }
}
