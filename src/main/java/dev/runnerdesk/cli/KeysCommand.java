package dev.runnerdesk.cli;

import dev.runnerdesk.core.Role;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.store.ApiKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code runnerdesk keys …}: API keys of {@code runnerdesk serve}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the API keys that `serve` accepts.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a key; it is printed once and only its hash is kept.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;
        @Spec
        CommandSpec spec;
        @Option(names = "--role", required = true, description = "viewer, auditor, operator or admin.")
        String role;
        @Option(names = "--name", required = true, description = "Who or what the key is for (appears as actor in events).")
        String name;

        @Override
        public Integer call() {
            Role parsed = Role.fromWire(role);
            try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir.resolve())) {
                String key = runtime.apiKeys().create(name, parsed);
                PrintWriter out = spec.commandLine().getOut();
                out.println(key);
                out.flush();
                spec.commandLine().getErr().println("This is the only time the key is shown. Role " + parsed.wireName()
                        + ", name " + name + ".");
                spec.commandLine().getErr().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (names, roles and fingerprints; never the keys).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir.resolve())) {
                PrintWriter out = spec.commandLine().getOut();
                var keys = runtime.apiKeys().list();
                if (keys.isEmpty()) {
                    out.println("No API keys. Make one: runnerdesk keys create --role admin --name me");
                }
                for (ApiKeyStore.KeyInfo k : keys) {
                    out.printf("%-24s %-9s %s  sha256:%s…%n", k.name(), k.role().wireName(), k.createdAt(), k.fingerprint());
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke the key of that name.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir.resolve())) {
                if (!runtime.apiKeys().revoke(name)) {
                    spec.commandLine().getErr().println("error: no key named " + name);
                    return 1;
                }
                spec.commandLine().getOut().println("Revoked " + name + ".");
            }
            return 0;
        }
    }
}
