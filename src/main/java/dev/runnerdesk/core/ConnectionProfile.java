package dev.runnerdesk.core;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the app's runners live: this computer's embedded runtime, or a gateway at a URL. The API key of
 * a gateway profile is never part of the profile; it lives in the {@link SecretStore} under {@link #secretName()}.
 */
public record ConnectionProfile(String id, String name, Kind kind, Optional<String> baseUrl, boolean allowInsecure) {
    public static final String EMBEDDED_ID = "local";

    public enum Kind { EMBEDDED, GATEWAY }

    public ConnectionProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (kind == Kind.GATEWAY && baseUrl.isEmpty()) {
            throw new RunnerException.InvalidRequest("url", "a gateway profile needs a base URL");
        }
    }

    /** The embedded runtime: the default, no account needed. */
    public static ConnectionProfile thisComputer() {
        return new ConnectionProfile(EMBEDDED_ID, "This computer", Kind.EMBEDDED, Optional.empty(), false);
    }

    public static ConnectionProfile gateway(String id, String name, String baseUrl, boolean allowInsecure) {
        return new ConnectionProfile(id, name, Kind.GATEWAY, Optional.of(baseUrl), allowInsecure);
    }

    /** A new gateway profile's id: {@code gw_} and 12 random hex digits. */
    public static String newGatewayId() {
        return "gw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The name of this profile's API key in the secret store. */
    public String secretName() {
        return "gateway-api-key:" + id;
    }
}
