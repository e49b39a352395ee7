package dev.runnerdesk.cli;

import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The command line's connection profile, shared by every {@code runners} and {@code audit} command: where the runners
 * live (this computer's data directory, or {@code --gateway} with its key), and the output format.
 */
final class ConnectionOptions {
    static final String API_KEY_VARIABLE = "RUNNERDESK_API_KEY";

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--json", description = "Print JSON (the gateway API's shapes) instead of tables.")
    boolean json;

    @Option(names = "--gateway", paramLabel = "URL",
            description = "Use the gateway at URL instead of this computer (key from $" + API_KEY_VARIABLE + " or --api-key-file).")
    String gateway;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "Read the gateway API key from FILE.")
    Path apiKeyFile;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "30",
            description = "With --gateway: the most one request may take, retries included (1–600; default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--allow-insecure", description = "Allow plain http:// to a gateway beyond this computer.")
    boolean allowInsecure;

    /** Opens the connection; the caller closes it. */
    Opened open() {
        if (gateway != null) {
            GatewayRunnerService service = new GatewayRunnerService(GatewayConnection.of(gateway, apiKey(), allowInsecure)
                    .withDeadline(Duration.ofSeconds(timeoutSeconds)));
            return new Opened(service, null, null);
        }
        Keychain keychain = new Keychain(dataDir.resolve(), System.getenv());
        EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir.resolve(), keychain);
        runtime.reapExpired();
        return new Opened(runtime.serviceFor(Principal.localUser()), runtime, keychain);
    }

    private String apiKey() {
        if (apiKeyFile != null) {
            try {
                return Files.readString(apiKeyFile).trim();
            } catch (IOException e) {
                throw new RunnerException.InvalidRequest("api_key_file", "cannot read the API key file " + apiKeyFile
                        + ": " + e.getMessage());
            }
        }
        String key = System.getenv(API_KEY_VARIABLE);
        if (key == null || key.isBlank()) {
            throw new RunnerException.InvalidRequest("api_key", "--gateway needs an API key: set $" + API_KEY_VARIABLE
                    + " or pass --api-key-file FILE (a key is never a plain argument, so it stays out of shell history)");
        }
        return key.trim();
    }

    /** An open connection's service; {@code runtime} is set for the embedded one. */
    record Opened(RunnerService service, EmbeddedRuntime runtime, Keychain keychain) implements AutoCloseable {
        /** Lets live subscriptions see what other processes (the app, another CLI) write to the same data. */
        void followOtherProcesses() {
            if (runtime != null) {
                runtime.startBackgroundWork(Duration.ofMillis(500));
            }
        }

        @Override
        public void close() {
            service.close();
            if (runtime != null) {
                runtime.close();
            }
            if (keychain != null) {
                keychain.close();
            }
        }
    }
}
