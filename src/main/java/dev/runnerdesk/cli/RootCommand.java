package dev.runnerdesk.cli;

import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.embedded.EmbeddedSettings;
import dev.runnerdesk.policy.PolicyChecks;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.store.KeychainSecretStore;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.ui.app.AppServices;
import dev.runnerdesk.ui.app.DesktopApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code runnerdesk}: with no subcommand, opens the desktop app on the embedded runtime. */
@Command(name = "runnerdesk", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
        description = "Desktop console and CLI for managed runners (sandboxed execution environments for AI agents).%n"
                + "With no command, opens the desktop app.",
        subcommands = {RunnersCommand.class, ServeCommand.class, KeysCommand.class})
final class RootCommand implements Callable<Integer> {
    /** Returned when the app window took over the process: main must not exit. */
    static final int APP_RUNNING = Integer.MIN_VALUE;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() {
        EmbeddedRuntime runtime = EmbeddedRuntime.open(dataDir.resolve());
        runtime.startBackgroundWork(Duration.ofSeconds(1));
        KeychainSecretStore.Probe keychain = KeychainSecretStore.probe(Duration.ofSeconds(3));
        SecretStore secrets = keychain.store().<SecretStore>map(s -> s)
                .orElseGet(() -> new MemorySecretStore(keychain.reason()));
        DesktopApp.launch(new AppServices(new Backends(runtime), secrets, new EmbeddedSettings(runtime), new PolicyChecks(), () -> {
            keychain.store().ifPresent(KeychainSecretStore::close);
            runtime.close();
        }));
        return APP_RUNNING;
    }

    static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"RunnerDesk " + dev.runnerdesk.core.Version.current()};
        }
    }
}
