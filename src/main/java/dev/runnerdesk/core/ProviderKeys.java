package dev.runnerdesk.core;

import java.util.Map;
import java.util.Optional;

/**
 * The cloud providers' API keys: from the environment variable the vendor's own tools read, which wins (as
 * environment settings do over stored ones, and a CLI call then never waits for the keychain), else kept in
 * the {@link SecretStore} under {@link #secretName()} (Settings → Provider keys in the app).
 */
public enum ProviderKeys {
    E2B("provider.e2b.api_key", "E2B_API_KEY", "E2B"),
    ANTHROPIC("provider.anthropic.api_key", "ANTHROPIC_API_KEY", "Anthropic");

    private final String secretName;
    private final String environmentVariable;
    private final String vendor;

    ProviderKeys(String secretName, String environmentVariable, String vendor) {
        this.secretName = secretName;
        this.environmentVariable = environmentVariable;
        this.vendor = vendor;
    }

    public String secretName() {
        return secretName;
    }

    public String environmentVariable() {
        return environmentVariable;
    }

    public String vendor() {
        return vendor;
    }

    /** The key: the environment's, else the secret store's; blank values count as none. */
    public Optional<String> find(SecretStore secrets, Map<String, String> environment) {
        Optional<String> fromEnvironment = Optional.ofNullable(environment.get(environmentVariable)).map(String::trim)
                .filter(k -> !k.isEmpty());
        return fromEnvironment.isPresent() ? fromEnvironment : secrets.get(secretName).filter(k -> !k.isBlank());
    }

    /** What a provider without this key says. */
    public String missingReason() {
        return "no " + vendor + " API key: add it in Settings → Provider keys, or set " + environmentVariable;
    }
}
