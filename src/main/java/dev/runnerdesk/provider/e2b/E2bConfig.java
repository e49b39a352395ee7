package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.core.RunnerException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where E2B is: the control-plane API ({@code E2B_API_URL}, default {@code https://api.<domain>}), the
 * sandbox domain ({@code E2B_DOMAIN}, default {@code e2b.app}) and, optionally, one base URL for every
 * sandbox's envd ({@code E2B_SANDBOX_URL}, as the official SDK reads it; self-hosted E2B and tests).
 * Plain {@code http://} is accepted only for loopback hosts: keys and tokens never cross a network in clear.
 */
public record E2bConfig(URI apiUrl, String domain, Optional<URI> sandboxUrl) {
    public static final String DEFAULT_DOMAIN = "e2b.app";
    public static final int ENVD_PORT = 49983;
    /** Domains whose edge routes {@code https://sandbox.<domain>} by the E2b-Sandbox-* headers (the SDK's stable host). */
    private static final Set<String> STABLE_HOST_DOMAINS = Set.of("e2b.app", "e2b.dev", "e2b.pro", "e2b-staging.dev");

    public E2bConfig {
        requireSecure("E2B_API_URL", apiUrl);
        sandboxUrl.ifPresent(u -> requireSecure("E2B_SANDBOX_URL", u));
        if (domain.isBlank() || !domain.matches("[A-Za-z0-9.-]+")) {
            throw new RunnerException.InvalidRequest("E2B_DOMAIN", "E2B_DOMAIN must be a host name, got \"" + domain + "\"");
        }
    }

    public static E2bConfig fromEnvironment(Map<String, String> env) {
        String domain = nonBlank(env.get("E2B_DOMAIN")).orElse(DEFAULT_DOMAIN);
        URI api = uri("E2B_API_URL", nonBlank(env.get("E2B_API_URL")).orElse("https://api." + domain));
        return new E2bConfig(api, domain, nonBlank(env.get("E2B_SANDBOX_URL")).map(u -> uri("E2B_SANDBOX_URL", u)));
    }

    /** How to reach one sandbox's envd: a base URL, and whether the E2b-Sandbox-* headers route it. */
    public record EnvdAddress(String baseUrl, boolean routedByHeaders) {
    }

    /**
     * The envd base of a sandbox: {@code E2B_SANDBOX_URL} when set; else the stable host
     * {@code https://sandbox.<domain>} for E2B's own domains; else the direct host
     * {@code https://49983-<id>.<domain>}. {@code sandboxDomain} is the create answer's domain, if any.
     */
    public EnvdAddress envd(String sandboxId, Optional<String> sandboxDomain) {
        if (sandboxUrl.isPresent()) {
            return new EnvdAddress(trimSlash(sandboxUrl.get().toString()), true);
        }
        String d = sandboxDomain.filter(s -> !s.isBlank()).orElse(domain);
        if (STABLE_HOST_DOMAINS.contains(d.toLowerCase(Locale.ROOT))) {
            return new EnvdAddress("https://sandbox." + d, true);
        }
        return new EnvdAddress("https://" + ENVD_PORT + "-" + sandboxId + "." + d, false);
    }

    String api(String path) {
        return trimSlash(apiUrl.toString()) + path;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static Optional<String> nonBlank(String s) {
        return Optional.ofNullable(s).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static URI uri(String name, String value) {
        try {
            URI u = URI.create(value);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new RunnerException.InvalidRequest(name, name + " must be an http(s) URL, got \"" + value + "\"");
        }
    }

    private static void requireSecure(String name, URI u) {
        String scheme = String.valueOf(u.getScheme()).toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        if (!scheme.equals("http")) {
            throw new RunnerException.InvalidRequest(name, name + " must be an http(s) URL, got \"" + u + "\"");
        }
        boolean loopback;
        try {
            loopback = u.getHost().equals("localhost") || InetAddress.getByName(u.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new RunnerException.InvalidRequest(name, name + " uses plain http:// to " + u.getHost()
                    + "; the E2B key and sandbox tokens would cross the network unencrypted — use https://");
        }
    }
}
