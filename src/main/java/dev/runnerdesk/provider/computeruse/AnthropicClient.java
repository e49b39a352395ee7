package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runnerdesk.core.ProviderKeys;
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

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}) for the computer-use loop. Overload, server failures
 * and rate limits are retried within the caller's time; every other failure becomes a typed
 * {@link RunnerException} carrying Anthropic's own message. The key goes in {@code x-api-key} and nowhere
 * else: not in a message, a log line or an event.
 */
final class AnthropicClient {
    static final String API_VERSION = "2023-06-01";
    private static final System.Logger LOG = System.getLogger(AnthropicClient.class.getName());
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final HttpUrl messagesUrl;
    private final Supplier<Optional<String>> apiKey;
    private final OkHttpClient http;
    private final int maxAttempts;

    AnthropicClient(URI baseUrl, Supplier<Optional<String>> apiKey, OkHttpClient http, int maxAttempts) {
        HttpUrl base = HttpUrl.get(baseUrl.toString());
        this.messagesUrl = base.newBuilder().addPathSegments("v1/messages").build();
        this.apiKey = apiKey;
        // a model's turn can take minutes; the caller's deadline bounds each call instead
        this.http = http.newBuilder().readTimeout(0, TimeUnit.MILLISECONDS).writeTimeout(0, TimeUnit.MILLISECONDS).build();
        this.maxAttempts = maxAttempts;
    }

    /** Sends one request and returns Anthropic's message; gives up at {@code deadline}. */
    JsonNode createMessage(ObjectNode body, ToolDialect dialect, Instant deadline, Cancellation cancellation) {
        String key = apiKey.get().orElseThrow(() -> new RunnerException.Unavailable(ProviderKeys.ANTHROPIC.missingReason()));
        byte[] payload;
        try {
            payload = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request", e);
        }
        Request.Builder request = new Request.Builder().url(messagesUrl)
                .header("x-api-key", key)
                .header("anthropic-version", API_VERSION)
                .header("User-Agent", "RunnerDesk/" + Version.current())
                .post(RequestBody.create(payload, JSON));
        dialect.betaHeader().ifPresent(beta -> request.header("anthropic-beta", beta));
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            RunnerException failure;
            Duration wait = backoff;
            Call call = http.newCall(request.build());
            call.timeout().timeout(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
            try (Cancellation.Registration ignored = cancellation.aborting(call::cancel); Response response = call.execute()) {
                String text = response.body().string();
                if (response.isSuccessful()) {
                    return parse(text);
                }
                failure = AnthropicErrors.of(response.code(), text, response.header("retry-after"), response.header("request-id"), key);
                if (failure instanceof RunnerException.RateLimited limited) {
                    wait = limited.retryAfter();
                }
                if (!AnthropicErrors.retryable(response.code())) {
                    throw failure;
                }
            } catch (IOException e) {
                if (cancellation.cancelled() || !Instant.now().isBefore(deadline)) {
                    throw new RunnerException.Unavailable(cancellation.cancelled() ? "the task was cancelled"
                            : "Anthropic did not answer in time", e);
                }
                failure = new RunnerException.Unavailable("cannot reach Anthropic at " + messagesUrl.host() + ": "
                        + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()), e);
            }
            if (attempt >= maxAttempts || Instant.now().plus(wait).isAfter(deadline) || cancellation.cancelled()) {
                throw failure;
            }
            LOG.log(System.Logger.Level.INFO, "Anthropic: " + failure.getMessage() + "; attempt " + (attempt + 1)
                    + " of " + maxAttempts + " in " + wait.toMillis() + " ms");
            cancellation.pause(wait);
            backoff = backoff.multipliedBy(2);
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode message = Json.MAPPER.readTree(text);
            if (message == null || !message.path("content").isArray()) {
                throw new RunnerException.Unavailable("Anthropic sent an answer without content");
            }
            return message;
        } catch (JsonProcessingException e) {
            throw new RunnerException.Unavailable("Anthropic sent an answer that is not JSON");
        }
    }
}
