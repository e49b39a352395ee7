package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.wire.Json;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * E2B's control plane (REST, {@code X-API-Key}): create, look up, list, time out and kill sandboxes, and read their
 * metrics. The routes are the spec's ({@code e2b-spec/openapi.yml}); they are all here so a move to {@code /v2} is one
 * change.
 */
public final class E2bApi {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String CREATE = "/sandboxes";
    private static final String LIST = "/v2/sandboxes";

    private final E2bConfig config;
    private final Supplier<Optional<String>> apiKey;
    private final OkHttpClient http;

    public E2bApi(E2bConfig config, Supplier<Optional<String>> apiKey, OkHttpClient http) {
        this.config = config;
        this.apiKey = apiKey;
        this.http = http;
    }

    public E2bConfig config() {
        return config;
    }

    /**
     * What a new sandbox is made of ({@code NewSandbox}): timeout in seconds, always sent (the server's default
     * is 15 s); {@code allowOut} non-empty = egress only to those hosts, domains ({@code *.x} too), IPs and CIDRs.
     */
    public record NewSandbox(String templateId, int timeoutSeconds, boolean allowInternetAccess, List<String> allowOut,
                             Map<String, String> metadata, Map<String, String> envVars) {
    }

    /** A sandbox as create or lookup describe it: what reaching its envd needs. */
    public record SandboxInfo(String sandboxId, String templateId, Optional<String> envdAccessToken, Optional<String> domain,
                              String envdVersion) {
        @Override
        public String toString() { // the token stays out of logs
            return "SandboxInfo[" + sandboxId + ", template " + templateId + ", envd " + envdVersion + "]";
        }
    }

    public SandboxInfo create(NewSandbox spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("templateID", spec.templateId());
        body.put("timeout", spec.timeoutSeconds());
        body.put("secure", true);
        body.put("allow_internet_access", spec.allowInternetAccess());
        if (!spec.allowOut().isEmpty()) {
            body.put("network", Map.of("allowOut", spec.allowOut(), "denyOut", List.of("0.0.0.0/0")));
        }
        body.put("autoPause", false);
        body.put("metadata", spec.metadata());
        body.put("envVars", spec.envVars());
        JsonNode node = call("creating an E2B sandbox from template " + spec.templateId(),
                request(CREATE).post(RequestBody.create(Json.write(body), JSON)).build()).body();
        SandboxInfo info = info(node);
        if (info.envdVersion().startsWith("0.0.")) {
            kill(info.sandboxId());
            throw new RunnerException.Unavailable("E2B sandbox " + info.sandboxId() + " runs envd " + info.envdVersion()
                    + ", older than 0.1.0, which RunnerDesk cannot drive; rebuild the template");
        }
        return info;
    }

    /** One sandbox with its envd access token ({@code GET /sandboxes/{id}}), e.g. after RunnerDesk restarted. */
    public SandboxInfo sandbox(String sandboxId) {
        return info(call("looking up E2B sandbox " + sandboxId, request("/sandboxes/" + segment(sandboxId)).get().build()).body());
    }

    /** Kills a sandbox; false when it was already gone. */
    public boolean kill(String sandboxId) {
        try {
            call("killing E2B sandbox " + sandboxId, request("/sandboxes/" + segment(sandboxId)).delete().build());
            return true;
        } catch (RunnerException.NotFound e) {
            return false;
        }
    }

    /** The sandbox lives {@code seconds} from now ({@code POST /sandboxes/{id}/timeout}). */
    public void setTimeout(String sandboxId, int seconds) {
        call("extending E2B sandbox " + sandboxId, request("/sandboxes/" + segment(sandboxId) + "/timeout")
                .post(RequestBody.create(Json.write(Map.of("timeout", seconds)), JSON)).build());
    }

    /**
     * The sandbox's metrics since {@code startUnixSeconds} ({@code GET /sandboxes/{id}/metrics}): an array of
     * {@code SandboxMetric}, oldest first; empty while E2B has none yet.
     */
    public JsonNode metrics(String sandboxId, long startUnixSeconds) {
        HttpUrl url = HttpUrl.get(config.api("/sandboxes/" + segment(sandboxId) + "/metrics")).newBuilder()
                .addQueryParameter("start", String.valueOf(Math.max(0, startUnixSeconds))).build();
        return call("reading the metrics of E2B sandbox " + sandboxId, authorized(new Request.Builder().url(url)).get().build())
                .body();
    }

    /** Ids of the running and paused sandboxes whose metadata has every entry of {@code metadata}, all pages. */
    public List<String> list(Map<String, String> metadata) {
        List<String> ids = new ArrayList<>();
        String next = null;
        do {
            HttpUrl.Builder url = HttpUrl.get(config.api(LIST)).newBuilder()
                    .addQueryParameter("state", "running,paused").addQueryParameter("limit", "100");
            if (!metadata.isEmpty()) {
                url.addQueryParameter("metadata", metadata.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&")));
            }
            if (next != null) {
                url.addQueryParameter("nextToken", next);
            }
            Answer answer = call("listing E2B sandboxes", authorized(new Request.Builder().url(url.build())).get().build());
            for (JsonNode s : answer.body()) {
                ids.add(s.path("sandboxID").asText());
            }
            next = answer.headers().get("X-Next-Token");
        } while (next != null && !next.isEmpty());
        return ids;
    }

    private static SandboxInfo info(JsonNode node) {
        String id = node.path("sandboxID").asText("");
        if (id.isEmpty()) {
            throw new RunnerException.Unavailable("E2B answered without a sandboxID");
        }
        return new SandboxInfo(id, node.path("templateID").asText(""), text(node, "envdAccessToken"), text(node, "domain"),
                node.path("envdVersion").asText("0.1.0"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) && !node.get(field).asText().isEmpty() ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    private Request.Builder request(String path) {
        return authorized(new Request.Builder().url(config.api(path)));
    }

    private Request.Builder authorized(Request.Builder builder) {
        String key = apiKey.get().orElseThrow(() -> new RunnerException.Unavailable(ProviderKeys.E2B.missingReason()));
        return builder.header("X-API-Key", key).header("Accept", "application/json");
    }

    private record Answer(JsonNode body, Headers headers) {
    }

    private Answer call(String what, Request request) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                Optional<Duration> retry = Optional.ofNullable(response.header("Retry-After"))
                        .flatMap(E2bApi::seconds);
                throw E2bErrors.http(what, response.code(), body, retry);
            }
            return new Answer(body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body), response.headers());
        } catch (IOException e) {
            throw new RunnerException.Unavailable(what + ": cannot reach " + config.apiUrl().getHost() + ": " + e.getMessage());
        }
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String segment(String id) {
        if (!id.matches("[A-Za-z0-9_-]{1,128}")) {
            throw new RunnerException.InvalidRequest("sandbox_id", "not an E2B sandbox id: \"" + id + "\"");
        }
        return id;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
