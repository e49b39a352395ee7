package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runnerdesk.wire.Json;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;

/**
 * Anthropic's Messages API as far as the computer-use loop needs it, answering from a script. It checks
 * what the real API checks and what the loop must get right: the key, {@code anthropic-version}, the beta
 * header and tool entry of the expected dialect, and that each request answers every {@code tool_use} of
 * the previous turn, in order, in one user message, with a screenshot where it did not fail. A request
 * that breaks a rule is answered 400 and the rule listed in {@link #problems()}.
 */
public final class AnthropicStub implements AutoCloseable {
    /** One scripted answer. */
    record Turn(int status, String body, Map<String, String> headers, Duration delay) {
    }

    private final HttpServer server;
    private final String key;
    private final ToolDialect dialect;
    private final ConcurrentLinkedDeque<Turn> script = new ConcurrentLinkedDeque<>();
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private int nextId = 1;

    public AnthropicStub(String key, ToolDialect dialect) throws IOException {
        this.key = key;
        this.dialect = dialect;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "anthropic-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/messages", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    // --- the script

    /** The model asks for one computer action ({@code input} without {@code action} for the toolset). */
    public AnthropicStub action(String action, String inputJson) {
        return actions(List.of(action), List.of(inputJson));
    }

    /** The model asks for several actions in one turn. */
    public AnthropicStub actions(List<String> actions, List<String> inputsJson) {
        ArrayNode content = Json.MAPPER.createArrayNode();
        content.addObject().put("type", "text").put("text", "Doing " + String.join(", ", actions) + ".");
        for (int i = 0; i < actions.size(); i++) {
            ObjectNode input = (ObjectNode) read(inputsJson.get(i));
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", "toolu_" + (nextId++));
            if (dialect.shape() == ToolDialect.Shape.TOOLSET) {
                use.put("name", actions.get(i)).put("toolset_name", "computer");
            } else {
                use.put("name", "computer");
                input.put("action", actions.get(i));
            }
            use.set("input", input);
        }
        return reply(content, "tool_use");
    }

    /** The model is done and says {@code text}. */
    public AnthropicStub finalText(String text) {
        ArrayNode content = Json.MAPPER.createArrayNode();
        content.addObject().put("type", "text").put("text", text);
        return reply(content, "end_turn");
    }

    public AnthropicStub error(int status, String type, String message, Map<String, String> headers) {
        String body = Json.write(Map.of("type", "error", "error", Map.of("type", type, "message", message)));
        script.add(new Turn(status, body, headers, Duration.ZERO));
        return this;
    }

    /** The next answer comes only after {@code delay}. */
    public AnthropicStub slowly(Duration delay) {
        Turn last = script.pollLast();
        script.add(new Turn(last.status(), last.body(), last.headers(), delay));
        return this;
    }

    private AnthropicStub reply(ArrayNode content, String stopReason) {
        ObjectNode message = Json.MAPPER.createObjectNode().put("id", "msg_" + nextId).put("type", "message")
                .put("role", "assistant").put("model", "stub");
        message.set("content", content);
        message.put("stop_reason", stopReason);
        script.add(new Turn(200, Json.write(message), Map.of(), Duration.ZERO));
        return this;
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    // --- serving

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!key.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                send(exchange, 401, errorBody("authentication_error", "invalid x-api-key"), Map.of());
                return;
            }
            requests.add(body);
            Optional<String> problem = check(exchange, body);
            if (problem.isPresent()) {
                problems.add(problem.get());
                send(exchange, 400, errorBody("invalid_request_error", problem.get()), Map.of());
                return;
            }
            Turn turn = script.poll();
            if (turn == null) {
                problems.add("a request after the end of the script");
                send(exchange, 500, errorBody("api_error", "the script has ended"), Map.of());
                return;
            }
            if (!turn.delay().isZero()) {
                Thread.sleep(turn.delay().toMillis());
            }
            send(exchange, turn.status(), turn.body(), turn.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            problems.add("stub failure: " + e);
        }
    }

    private Optional<String> check(HttpExchange exchange, JsonNode body) {
        var headers = exchange.getRequestHeaders();
        if (!"2023-06-01".equals(headers.getFirst("anthropic-version"))) {
            return Optional.of("anthropic-version must be 2023-06-01, got " + headers.getFirst("anthropic-version"));
        }
        String beta = headers.getFirst("anthropic-beta");
        if (!dialect.betaHeader().equals(Optional.ofNullable(beta))) {
            return Optional.of("anthropic-beta must be " + dialect.betaHeader().orElse("absent") + ", got " + beta);
        }
        JsonNode tool = body.path("tools").path(0);
        if (!dialect.toolType().equals(tool.path("type").asText())) {
            return Optional.of("tools[0].type must be " + dialect.toolType() + ", got " + tool.path("type"));
        }
        if (dialect.shape() == ToolDialect.Shape.SINGLE_TOOL && (!"computer".equals(tool.path("name").asText())
                || tool.path("display_width_px").asInt() != 1024 || tool.path("display_height_px").asInt() != 768)) {
            return Optional.of("the computer tool must be named computer on a 1024x768 display: " + tool);
        }
        if (body.path("model").asText().isEmpty() || body.path("max_tokens").asInt() < 1) {
            return Optional.of("model and max_tokens are required");
        }
        return checkToolResults(body.path("messages"));
    }

    /** Every tool_use of the last assistant turn is answered, in order, in the user message after it. */
    private static Optional<String> checkToolResults(JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            return Optional.of("messages must not be empty");
        }
        for (int m = 0; m < messages.size(); m++) {
            String expectedRole = m % 2 == 0 ? "user" : "assistant";
            if (!expectedRole.equals(messages.get(m).path("role").asText())) {
                return Optional.of("message " + m + " must be from the " + expectedRole);
            }
        }
        if (messages.size() < 2) {
            return Optional.empty();
        }
        List<String> asked = new ArrayList<>();
        messages.get(messages.size() - 2).path("content").forEach(block -> {
            if ("tool_use".equals(block.path("type").asText())) {
                asked.add(block.path("id").asText());
            }
        });
        List<String> answered = new ArrayList<>();
        for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
            if (!"tool_result".equals(block.path("type").asText())) {
                return Optional.of("the user turn after tool calls must hold only tool_result blocks, got " + block.path("type"));
            }
            answered.add(block.path("tool_use_id").asText());
            boolean isError = block.path("is_error").asBoolean(false);
            JsonNode content = block.path("content");
            if (isError && !content.isTextual()) {
                return Optional.of("an error result carries its message as text: " + block);
            }
            if (!isError && !hasImageOrText(content)) {
                return Optional.of("a tool_result must carry a PNG screenshot (or the pointer position): " + block);
            }
        }
        if (!asked.equals(answered)) {
            return Optional.of("tool_result ids " + answered + " do not answer the tool_use ids " + asked);
        }
        return Optional.empty();
    }

    private static boolean hasImageOrText(JsonNode content) {
        for (JsonNode part : content) {
            if ("image".equals(part.path("type").asText())) {
                JsonNode source = part.path("source");
                return "base64".equals(source.path("type").asText()) && "image/png".equals(source.path("media_type").asText())
                        && !source.path("data").asText().isEmpty();
            }
            if ("text".equals(part.path("type").asText()) && part.path("text").asText().startsWith("X=")) {
                return true;
            }
        }
        return false;
    }

    private static String errorBody(String type, String message) {
        return Json.write(Map.of("type", "error", "error", Map.of("type", type, "message", message)));
    }

    private static void send(HttpExchange exchange, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("request-id", "req_stub");
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
