package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.wire.Json;

import java.time.Duration;

/** Anthropic's error answers ({@code {"type":"error","error":{"type","message"}}}) as our typed errors. */
final class AnthropicErrors {
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private AnthropicErrors() {
    }

    /** Overloaded (529), server failures and rate limits pass; the rest will fail again. */
    static boolean retryable(int status) {
        return status == 429 || status == 529 || status >= 500;
    }

    static RunnerException of(int status, String body, String retryAfter, String requestId, String key) {
        String said = message(body);
        if (said != null && !key.isEmpty()) {
            said = said.replace(key, "…"); // should Anthropic ever echo it
        }
        String detail = (said != null ? ": " + said : "") + (requestId != null ? " (request " + requestId + ")" : "");
        return switch (status) {
            case 400, 404, 413, 422 -> new RunnerException.InvalidRequest(null, "Anthropic refused the request (HTTP " + status + ")" + detail);
            case 401 -> new RunnerException.Unavailable("the Anthropic key was refused" + detail
                    + "; check it in Settings → Provider keys or ANTHROPIC_API_KEY");
            case 403 -> new RunnerException.Unavailable("the Anthropic key may not do this" + detail);
            case 429 -> {
                Duration after = retryAfter(retryAfter);
                yield new RunnerException.RateLimited("Anthropic's rate limit was reached; retry in "
                        + Math.max(1, after.toSeconds()) + " s" + detail, after);
            }
            case 529 -> new RunnerException.Unavailable("Anthropic is overloaded; try again later" + detail);
            default -> new RunnerException.Unavailable("Anthropic failed (HTTP " + status + ")" + detail);
        };
    }

    private static String message(String body) {
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            String message = error.path("message").asText("");
            return message.isBlank() ? null : message;
        } catch (Exception e) {
            return null; // not JSON (a proxy's page): the status says enough
        }
    }

    private static Duration retryAfter(String value) {
        if (value != null) {
            try {
                Duration after = Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
                return after.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : after;
            } catch (NumberFormatException ignored) {
                // an HTTP date: our own backoff
            }
        }
        return Duration.ofSeconds(1);
    }
}
