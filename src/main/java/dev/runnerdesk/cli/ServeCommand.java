package dev.runnerdesk.cli;

import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.store.ApiKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code runnerdesk serve}: this computer's runners over the gateway REST API. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the runners gateway API (the Curate-Me runners routes) over the embedded runtime.",
                "Stops on Ctrl+C."})
final class ServeCommand implements Callable<Integer> {
    /** The name a key given to this command is known by (the actor of its events) while the server runs. */
    static final String RUN_KEY_NAME = "serve-run-key";
    /** What earlier versions stored a key given to this command as, for good; revoked at start. */
    static final String STORED_BY_EARLIER_VERSIONS = "admin-from-command-line";
    private static final int MAX_KEY_CHARS = 512;

    @Mixin
    DataDirOption dataDir;
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8002", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;
    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;
    @Option(names = "--api-key", paramLabel = "KEY",
            description = {"Accept this key as an admin key for this run only; it is never stored (e.g. the quickstart's"
                    + " cm_sk_your_key_here).", "Other local users can read it in the process list: prefer --api-key-file"
                    + " or $" + ConnectionOptions.API_KEY_VARIABLE + "."})
    String apiKey;
    @Option(names = "--api-key-file", paramLabel = "FILE", description = "As --api-key, reading the key from FILE (keep it 0600).")
    Path apiKeyFile;
    @Option(names = "--rate-limit", defaultValue = "6000", paramLabel = "N",
            description = "Requests a minute per key; 0 turns the limit off (default: ${DEFAULT-VALUE}).")
    int rateLimit;
    @Option(names = "--beta-disabled", description = "Answer 404 on every runner route, like a gateway account without the runners beta.")
    boolean betaDisabled;

    /** Where {@code $RUNNERDESK_API_KEY} is read from; tests give their own. */
    Map<String, String> environment = System.getenv();

    /** A started server over its runtime; closing stops both. */
    record Running(GatewayServer server, EmbeddedRuntime runtime, Keychain keychain) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            runtime.close();
            keychain.close();
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Running running = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "runnerdesk-serve-stop"));
        stopped.await();
        return 0;
    }

    /** Opens the runtime and starts serving; the key given, if any, is accepted until {@link Running#close()}. */
    Running start() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> key = runKey(err);
        Keychain keychain = new Keychain(dataDir.resolve(), environment);
        EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir.resolve(), keychain);
        if (runtime.apiKeys().revoke(STORED_BY_EARLIER_VERSIONS)) {
            err.println("note: revoked the key an earlier `serve --api-key` stored as \"" + STORED_BY_EARLIER_VERSIONS
                    + "\"; a key given to serve is now accepted for its run only. Make lasting keys with `runnerdesk keys create`.");
        }
        key.ifPresent(k -> runtime.apiKeys().acceptForThisRun(k, RUN_KEY_NAME, Role.ADMIN));
        runtime.startBackgroundWork(Duration.ofSeconds(1));
        GatewayServer server;
        try {
            server = new GatewayServer(runtime, new GatewayServer.Options(bind, port, betaDisabled, rateLimit,
                    GatewayServer.Options.DEFAULT_UNAUTHENTICATED_PER_MINUTE, Duration.ofSeconds(15))).start();
        } catch (IOException | RuntimeException e) {
            runtime.close();
            keychain.close();
            throw e;
        }
        out.println("RunnerDesk gateway listening on " + server.baseUrl() + "/gateway/admin/runners/ (data: "
                + runtime.dataDir() + ")");
        key.ifPresent(k -> out.println("Accepting the given key (sha256:" + ApiKeyStore.fingerprint(k)
                + "…) as admin " + RUN_KEY_NAME + " until this server stops; it is not stored."));
        if (runtime.apiKeys().list().isEmpty()) {
            out.println("No API keys yet: every runner route answers 401. Make one with");
            out.println("  runnerdesk keys create --role admin --name me");
            out.println("or restart with --api-key-file FILE (or $" + ConnectionOptions.API_KEY_VARIABLE
                    + ") to accept a key of your choosing for one run.");
        }
        if (!InetAddress.getByName(bind).isLoopbackAddress()) {
            out.println("warning: listening beyond this computer over plain HTTP; API keys cross the network unencrypted."
                    + " Put a TLS proxy in front of it.");
        }
        out.flush();
        err.flush();
        return new Running(server, runtime, keychain);
    }

    /** The key to accept for this run: from --api-key (with a warning), --api-key-file, or the environment. */
    private Optional<String> runKey(PrintWriter err) {
        if (apiKey != null && apiKeyFile != null) {
            throw new ParameterException(spec.commandLine(), "give --api-key or --api-key-file, not both");
        }
        if (apiKey != null) {
            err.println("warning: a key given with --api-key can be read by other users of this computer (ps,"
                    + " /proc/*/cmdline) and may stay in your shell history; prefer --api-key-file FILE or $"
                    + ConnectionOptions.API_KEY_VARIABLE + ". It is accepted for this run only and never stored.");
            return Optional.of(checked(apiKey, "--api-key"));
        }
        if (apiKeyFile != null) {
            String text;
            try {
                text = Files.readString(apiKeyFile);
                warnIfOthersCanRead(apiKeyFile, err);
            } catch (IOException e) {
                throw new InvalidRequest("api_key_file", "cannot read the API key file " + apiKeyFile + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            return Optional.of(checked(text.trim(), "the API key file " + apiKeyFile));
        }
        return Optional.ofNullable(environment.get(ConnectionOptions.API_KEY_VARIABLE)).map(String::trim)
                .filter(k -> !k.isEmpty()).map(k -> checked(k, "$" + ConnectionOptions.API_KEY_VARIABLE));
    }

    /** The key if it can be sent in a header; the message never quotes it. */
    private static String checked(String key, String source) {
        if (key.isEmpty() || key.length() > MAX_KEY_CHARS || key.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new InvalidRequest("api_key", "the key from " + source + " must be 1 to " + MAX_KEY_CHARS
                    + " characters without spaces or control characters");
        }
        return key;
    }

    private static void warnIfOthersCanRead(Path file, PrintWriter err) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                err.println("warning: " + file + " can be read by other users; chmod 600 it");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
