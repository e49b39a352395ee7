package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.wire.Json;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anthropic's error answers as typed errors with Anthropic's message, retries where they help, and the key kept out. */
class AnthropicClientTest {
    private static final String KEY = "sk-ant-secret-777";
    private AnthropicStub stub;

    private AnthropicClient client(int attempts) throws IOException {
        stub = new AnthropicStub(KEY, ToolDialect.COMPUTER_20250124);
        return new AnthropicClient(stub.baseUrl(), () -> Optional.of(KEY), new OkHttpClient(), attempts);
    }

    private static ObjectNode request() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "claude-sonnet-4-5-20250929").put("max_tokens", 10);
        body.putArray("tools").add(ToolDialect.COMPUTER_20250124.toolDefinition(Display.XGA));
        body.putArray("messages").addObject().put("role", "user").put("content", "hi");
        return body;
    }

    private static Instant inSeconds(int seconds) {
        return Instant.now().plusSeconds(seconds);
    }

    @AfterEach
    void close() {
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void aRateLimitIsRetriedAfterItsRetryAfter() throws IOException {
        AnthropicClient client = client(3);
        stub.error(429, "rate_limit_error", "slow down", Map.of("retry-after", "0")).finalText("ok");

        String text = client.createMessage(request(), ToolDialect.COMPUTER_20250124, inSeconds(10), new Cancellation())
                .path("content").path(0).path("text").asText();

        assertEquals("ok", text);
        assertEquals(2, stub.requests().size());
    }

    @Test
    void aRateLimitThatOutlastsTheAttemptsIsRateLimitedWithItsRetryAfter() throws IOException {
        AnthropicClient client = client(1);
        stub.error(429, "rate_limit_error", "Number of request tokens has exceeded your rate limit", Map.of("retry-after", "7"));

        RunnerException.RateLimited limited = assertThrows(RunnerException.RateLimited.class, () -> client.createMessage(
                request(), ToolDialect.COMPUTER_20250124, inSeconds(10), new Cancellation()));

        assertEquals(Duration.ofSeconds(7), limited.retryAfter());
        assertEquals("Anthropic's rate limit was reached; retry in 7 s: Number of request tokens has exceeded your rate"
                + " limit (request req_stub)", limited.getMessage());
    }

    @Test
    void overloadIsUnavailableOnceTheAttemptsAreUsed() throws IOException {
        AnthropicClient client = client(1);
        stub.error(529, "overloaded_error", "Overloaded", Map.of());

        RunnerException.Unavailable overloaded = assertThrows(RunnerException.Unavailable.class, () -> client.createMessage(
                request(), ToolDialect.COMPUTER_20250124, inSeconds(10), new Cancellation()));

        assertEquals("Anthropic is overloaded; try again later: Overloaded (request req_stub)", overloaded.getMessage());
    }

    @Test
    void aBadRequestIsInvalidWithAnthropicsMessageAndNotRetried() throws IOException {
        AnthropicClient client = client(3);
        stub.error(400, "invalid_request_error", "messages.1: tool_use ids were found without tool_result blocks", Map.of());

        RunnerException.InvalidRequest invalid = assertThrows(RunnerException.InvalidRequest.class, () -> client.createMessage(
                request(), ToolDialect.COMPUTER_20250124, inSeconds(10), new Cancellation()));

        assertTrue(invalid.getMessage().contains("tool_use ids were found without tool_result blocks"), invalid.getMessage());
        assertEquals(1, stub.requests().size());
    }

    @Test
    void aRefusedKeyIsUnavailableAndTheKeyAppearsNowhere() throws IOException {
        stub = new AnthropicStub("sk-ant-other", ToolDialect.COMPUTER_20250124);
        AnthropicClient client = new AnthropicClient(stub.baseUrl(), () -> Optional.of(KEY), new OkHttpClient(), 3);

        RunnerException.Unavailable refused = assertThrows(RunnerException.Unavailable.class, () -> client.createMessage(
                request(), ToolDialect.COMPUTER_20250124, inSeconds(10), new Cancellation()));

        assertTrue(refused.getMessage().startsWith("the Anthropic key was refused: invalid x-api-key"), refused.getMessage());
        assertFalse(refused.getMessage().contains(KEY));
    }

    @Test
    void anAnswerEchoingTheKeyHasItBlankedOut() {
        RunnerException error = AnthropicErrors.of(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                + "\"message\":\"key " + KEY + " is invalid\"}}", null, null, KEY);
        assertFalse(error.getMessage().contains(KEY), error.getMessage());
    }

    @Test
    void aModelTooSlowForTheDeadlineIsUnavailableInTime() throws IOException {
        AnthropicClient client = client(3);
        stub.finalText("late").slowly(Duration.ofSeconds(3));

        RunnerException.Unavailable late = assertThrows(RunnerException.Unavailable.class, () -> client.createMessage(
                request(), ToolDialect.COMPUTER_20250124, Instant.now().plusMillis(500), new Cancellation()));

        assertEquals("Anthropic did not answer in time", late.getMessage());
    }

    @Test
    void theKeyGoesOverHttpsOrToThisComputerOnly() {
        ComputerUseSettings defaults = ComputerUseSettings.forModel(ComputerUseSettings.DEFAULT_MODEL);
        assertEquals(URI.create("http://127.0.0.1:9"), defaults.withBaseUrl(URI.create("http://127.0.0.1:9")).anthropicBaseUrl());
        defaults.withBaseUrl(URI.create("http://localhost:8080"));
        defaults.withBaseUrl(URI.create("http://[::1]:8080"));
        defaults.withBaseUrl(URI.create("https://proxy.example.com"));
        RunnerException.InvalidRequest plain = assertThrows(RunnerException.InvalidRequest.class,
                () -> defaults.withBaseUrl(URI.create("http://proxy.example.com")));
        assertTrue(plain.getMessage().contains("refusing to send the Anthropic key over plain http"), plain.getMessage());
        assertThrows(RunnerException.InvalidRequest.class, () -> defaults.withBaseUrl(URI.create("http://cafe:80")));
    }
}
