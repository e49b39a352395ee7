package dev.runnerdesk.gateway;

import dev.runnerdesk.core.GatewayDeadlines;
import dev.runnerdesk.core.RunnerException.InvalidRequest;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a gateway is and the key to it, checked before anything is sent: the key's shape, and no plain
 * HTTP to a host beyond this computer unless the profile allows it. {@link #toString()} never shows the key.
 */
public final class GatewayConnection {
    public static final List<String> KEY_PREFIXES = List.of("cm_sk_", "cm_gw_", "cm_rt_");

    private final URI baseUrl;
    private final String apiKey;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    /** Read at each call: a deadline the person changes applies from the next call on. */
    private final Supplier<Duration> deadline;

    /** How long one call may take in all, its retries included, unless it says otherwise (a long exec does). */
    public static final Duration DEFAULT_DEADLINE = GatewayDeadlines.DEFAULT;
    /** The deadlines a person may choose. */
    public static final Duration MIN_DEADLINE = Duration.ofSeconds(GatewayDeadlines.SECONDS.min());
    public static final Duration MAX_DEADLINE = Duration.ofSeconds(GatewayDeadlines.SECONDS.max());

    private GatewayConnection(URI baseUrl, String apiKey, Duration connectTimeout, Duration readTimeout,
                              Supplier<Duration> deadline) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.deadline = deadline;
    }

    /**
     * This connection with every call given at most {@code deadline} in all, retries included (15 s for a connection
     * test, 30 s by default).
     */
    public GatewayConnection withDeadline(Duration deadline) {
        if (deadline.compareTo(MIN_DEADLINE) < 0 || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new InvalidRequest("timeout", "the gateway timeout must be between " + MIN_DEADLINE.toSeconds() + " and "
                    + MAX_DEADLINE.toSeconds() + " seconds, got " + deadline.toSeconds());
        }
        return new GatewayConnection(baseUrl, apiKey, connectTimeout, readTimeout, () -> deadline);
    }

    /**
     * This connection with each call's deadline read from {@code deadline} when the call starts (the app's setting); a
     * value out of range is taken as the nearest bound.
     */
    public GatewayConnection withDeadline(Supplier<Duration> deadline) {
        Objects.requireNonNull(deadline);
        return new GatewayConnection(baseUrl, apiKey, connectTimeout, readTimeout, () -> {
            Duration d = deadline.get();
            return d.compareTo(MIN_DEADLINE) < 0 ? MIN_DEADLINE : d.compareTo(MAX_DEADLINE) > 0 ? MAX_DEADLINE : d;
        });
    }

    public static GatewayConnection of(String baseUrl, String apiKey, boolean allowInsecure) {
        return of(baseUrl, apiKey, allowInsecure, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public static GatewayConnection of(String baseUrl, String apiKey, boolean allowInsecure, Duration connectTimeout,
                                       Duration readTimeout) {
        URI uri = parse(baseUrl);
        checkKey(apiKey);
        if (uri.getScheme().equals("http") && !allowInsecure && !isLoopback(uri.getHost())) {
            throw new InvalidRequest("url", "refusing to send the API key over plain HTTP to " + uri.getHost()
                    + ": use https://, or allow insecure connections in the profile if you really mean it");
        }
        return new GatewayConnection(uri, apiKey, Objects.requireNonNull(connectTimeout), Objects.requireNonNull(readTimeout),
                () -> DEFAULT_DEADLINE);
    }

    static URI parse(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new InvalidRequest("url", "the gateway URL is empty");
        }
        String trimmed = baseUrl.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new InvalidRequest("url", "the gateway URL must look like https://gateway.example.com, got \"" + baseUrl + "\"");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new InvalidRequest("url", "the gateway URL must not carry a query, fragment or user name");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidRequest("url", "the gateway URL is not a URL: " + e.getReason());
        }
    }

    static void checkKey(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new InvalidRequest("api_key", "an API key is needed for a gateway (cm_sk_…, cm_gw_… or cm_rt_…)");
        }
        if (KEY_PREFIXES.stream().noneMatch(apiKey::startsWith)) {
            throw new InvalidRequest("api_key", "gateway API keys start with cm_sk_, cm_gw_ or cm_rt_; this one does not");
        }
        if (apiKey.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new InvalidRequest("api_key", "the API key contains spaces or other characters keys never have");
        }
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // never resolve a name just to decide this
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public URI baseUrl() {
        return baseUrl;
    }

    String apiKey() {
        return apiKey;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    Duration readTimeout() {
        return readTimeout;
    }

    Duration deadline() {
        return deadline.get();
    }

    /** The host as people name it in messages. */
    String host() {
        return baseUrl.getHost() + (baseUrl.getPort() > 0 ? ":" + baseUrl.getPort() : "");
    }

    @Override
    public String toString() {
        return "GatewayConnection[" + baseUrl + ", key=" + apiKey.substring(0, Math.min(6, apiKey.length())) + "…]";
    }
}
