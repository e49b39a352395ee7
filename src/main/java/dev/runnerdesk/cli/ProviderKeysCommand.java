package dev.runnerdesk.cli;

import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runnerdesk provider-keys …}: the cloud providers' keys where API keys are kept (as Settings → Provider keys does). */
@Command(name = "provider-keys", mixinStandardHelpOptions = true,
        description = "Keep the E2B and Anthropic API keys where API keys are kept: the OS keychain, or with "
                + Keychain.VARIABLE + "=file a file only you can read (the e2b and claude_computer_use providers read"
                + " them there, else from E2B_API_KEY / ANTHROPIC_API_KEY).",
        subcommands = {ProviderKeysCommand.Set.class, ProviderKeysCommand.Show.class, ProviderKeysCommand.Delete.class})
final class ProviderKeysCommand {
    static ProviderKeys vendor(String name) {
        try {
            return ProviderKeys.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RunnerException.InvalidRequest("vendor", "unknown vendor \"" + name + "\"; use e2b or anthropic");
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Read a key from standard input (never an argument, so it stays out of shell history) and keep it.")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DataDirOption dataDir;
        @Parameters(paramLabel = "VENDOR", description = "e2b or anthropic")
        String vendor;

        @Override
        public Integer call() throws IOException {
            ProviderKeys which = vendor(vendor);
            if (System.console() != null) {
                spec.commandLine().getErr().print(which.vendor() + " API key: ");
                spec.commandLine().getErr().flush();
            }
            String key = System.console() != null ? new String(System.console().readPassword())
                    : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (key == null || key.isBlank()) {
                throw new RunnerException.InvalidRequest("key", "no key was given on standard input");
            }
            try (Keychain keychain = new Keychain(dataDir.resolve(), System.getenv())) {
                keychain.secrets.put(which.secretName(), key.trim());
                PrintWriter out = spec.commandLine().getOut();
                out.println("Kept the " + which.vendor() + " key " + mask(key.trim())
                        + (keychain.secrets.persistent() ? " " + where(keychain) + "."
                        : " only until this command ends: " + keychain.secrets.limitation().orElse("no keychain")
                        + ". Set " + which.environmentVariable() + " instead, or keep keys in a file only you can read: "
                        + Keychain.VARIABLE + "=file (see the README)."));
                out.flush();
                return keychain.secrets.persistent() ? 0 : 1;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Which keys are set (masked), and where from.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DataDirOption dataDir;

        @Override
        public Integer call() {
            try (Keychain keychain = new Keychain(dataDir.resolve(), System.getenv())) {
                PrintWriter out = spec.commandLine().getOut();
                for (ProviderKeys which : ProviderKeys.values()) {
                    String env = System.getenv(which.environmentVariable());
                    String shown = env != null && !env.isBlank() ? mask(env.trim()) + " ($" + which.environmentVariable()
                            + ", used before the keychain's)" : keychain.secrets.get(which.secretName())
                            .map(k -> mask(k) + " (" + where(keychain) + ")").orElse("not set");
                    out.printf("%-10s %s%n", which.name().toLowerCase(Locale.ROOT), shown);
                }
                keychain.secrets.limitation().ifPresent(l -> out.println("(no keychain here: " + l + ")"));
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Forget a kept key.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DataDirOption dataDir;
        @Parameters(paramLabel = "VENDOR", description = "e2b or anthropic")
        String vendor;

        @Override
        public Integer call() {
            ProviderKeys which = vendor(vendor);
            try (Keychain keychain = new Keychain(dataDir.resolve(), System.getenv())) {
                keychain.secrets.delete(which.secretName());
            }
            spec.commandLine().getOut().println("Forgot the " + which.vendor() + " key.");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** Where a kept key is, in words. */
    private static String where(Keychain keychain) {
        return "in " + keychain.state().place();
    }

    private static String mask(String key) {
        return SecretStore.mask(key);
    }
}
