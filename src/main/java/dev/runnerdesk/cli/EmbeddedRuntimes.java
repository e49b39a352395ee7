package dev.runnerdesk.cli;

import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.computeruse.ClaudeComputerUseProvider;
import dev.runnerdesk.provider.e2b.E2bConfig;
import dev.runnerdesk.provider.e2b.E2bProvider;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.provider.local.LocalProvider;
import dev.runnerdesk.store.MemorySecretStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The composition root's embedded runtime: every provider this build has, each built here with what it needs (the
 * data directory, cloud keys from the secret store or the environment), on the system clock. The runtime itself
 * knows providers only through their SPI.
 */
public final class EmbeddedRuntimes {
    private EmbeddedRuntimes() {
    }

    /** With cloud keys from the environment only (tests, and where there is no keychain). */
    public static EmbeddedRuntime open(Path dataDir) {
        return open(dataDir, new MemorySecretStore("keys come from the environment"));
    }

    /** With cloud keys from {@code secrets} or the environment; the audit signing key is kept in {@code secrets} where it lasts. */
    public static EmbeddedRuntime open(Path dataDir, SecretStore secrets) {
        return new EmbeddedRuntime(dataDir, Clock.systemUTC(), everyProvider(dataDir, secrets, System.getenv()), secrets);
    }

    /**
     * With cloud keys from where the person keeps API keys (or the environment); the audit signing key in the OS
     * keychain where one works, else in its own key file.
     */
    static EmbeddedRuntime open(Path dataDir, Keychain keys) {
        return new EmbeddedRuntime(dataDir, Clock.systemUTC(), everyProvider(dataDir, keys.secrets, System.getenv()),
                keys.auditSecrets);
    }

    /** One of each provider, in the order they are offered. */
    static List<SandboxProvider> everyProvider(Path dataDir, SecretStore secrets, Map<String, String> env) {
        Supplier<E2bConfig> e2bConfig = () -> E2bConfig.fromEnvironment(env);
        Supplier<Optional<String>> e2bKey = () -> ProviderKeys.E2B.find(secrets, env);
        return List.of(new FakeProvider(), new LocalProvider(dataDir), new E2bProvider(e2bConfig, e2bKey),
                ClaudeComputerUseProvider.onE2b(dataDir, e2bConfig, e2bKey, () -> ProviderKeys.ANTHROPIC.find(secrets, env), env));
    }
}
