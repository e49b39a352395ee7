package dev.runnerdesk.cli;

import dev.runnerdesk.core.Role;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.server.GatewayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code runnerdesk serve}: this computer's runners over the gateway REST API. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the runners gateway API (the Curate-Me runners routes) over the embedded runtime.",
                "Stops on Ctrl+C."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    DataDirOption dataDir;
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8002", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;
    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;
    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Accept this key as an admin key (e.g. the quickstart's cm_sk_your_key_here).")
    String apiKey;
    @Option(names = "--api-key-file", paramLabel = "FILE", description = "As --api-key, reading the key from a file.")
    Path apiKeyFile;
    @Option(names = "--rate-limit", defaultValue = "6000", paramLabel = "N",
            description = "Requests a minute per key; 0 turns the limit off (default: ${DEFAULT-VALUE}).")
    int rateLimit;
    @Option(names = "--beta-disabled", description = "Answer 404 on every runner route, like a gateway account without the runners beta.")
    boolean betaDisabled;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Keychain keychain = new Keychain();
        EmbeddedRuntime runtime = EmbeddedRuntime.open(dataDir.resolve(), keychain.secrets);
        String key = apiKey;
        if (apiKeyFile != null) {
            key = Files.readString(apiKeyFile).trim();
        }
        if (key != null) {
            runtime.apiKeys().register(key, "admin-from-command-line", Role.ADMIN);
        }
        runtime.startBackgroundWork(Duration.ofSeconds(1));
        GatewayServer server = new GatewayServer(runtime, new GatewayServer.Options(bind, port, betaDisabled, rateLimit,
                Duration.ofSeconds(15))).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            runtime.close();
            keychain.close();
            stopped.countDown();
        }, "runnerdesk-serve-stop"));
        out.println("RunnerDesk gateway listening on " + server.baseUrl() + "/gateway/admin/runners/ (data: "
                + runtime.dataDir() + ")");
        if (runtime.apiKeys().list().isEmpty()) {
            out.println("No API keys yet: every runner route answers 401. Make one with");
            out.println("  runnerdesk keys create --role admin --name me");
            out.println("or restart with --api-key cm_sk_… to accept a key of your choosing.");
        }
        if (!InetAddress.getByName(bind).isLoopbackAddress()) {
            out.println("warning: listening beyond this computer over plain HTTP; API keys cross the network unencrypted."
                    + " Put a TLS proxy in front of it.");
        }
        out.flush();
        stopped.await();
        return 0;
    }
}
