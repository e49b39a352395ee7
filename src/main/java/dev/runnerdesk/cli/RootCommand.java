package dev.runnerdesk.cli;

import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.Settings;
import dev.runnerdesk.core.Version;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.embedded.EmbeddedSettings;
import dev.runnerdesk.policy.InProcessPolicyEditorChecks;
import dev.runnerdesk.ui.app.AppServices;
import dev.runnerdesk.ui.app.DesktopApp;
import dev.runnerdesk.wire.ConnectionProfilesJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** {@code runnerdesk}: with no subcommand, opens the desktop app on the embedded runtime. */
@Command(name = "runnerdesk", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
        description = "Desktop console and CLI for managed runners (sandboxed execution environments for AI agents).%n"
                + "With no command, opens the desktop app.")
final class RootCommand implements Callable<Integer> {
    /** Returned when the app window took over the process: main must not exit. */
    static final int APP_RUNNING = Integer.MIN_VALUE;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--smoke", description = "Check an installation: open the window, run one command on a"
            + " fake runner (in a scratch data directory unless --data-dir), print the first-frame time, exit.")
    boolean smoke;

    @Override
    public Integer call() throws IOException {
        Path data = smoke && dataDir.dataDir == null ? Files.createTempDirectory("runnerdesk-smoke") : dataDir.resolve();
        // the data file, the providers' probes and the keychain probe run while the window is being built
        Keychain keychain = new Keychain(data, System.getenv()).probeNow();
        SecretStore secrets = keychain.secrets;
        CompletableFuture<EmbeddedRuntime> runtime = CompletableFuture.supplyAsync(() -> {
            EmbeddedRuntime opened = EmbeddedRuntimes.open(data, keychain);
            opened.startBackgroundWork(Duration.ofSeconds(1));
            return opened;
        });
        Settings settings = new Settings() {
            @Override
            public Optional<String> get(String key) {
                return new EmbeddedSettings(runtime.join()).get(key);
            }

            @Override
            public void put(String key, String value) {
                new EmbeddedSettings(runtime.join()).put(key, value);
            }
        };
        AppServices services = new AppServices((profile, key) -> new EmbeddedOrGatewayServices(runtime.join()).open(profile, key),
                secrets, settings, new InProcessPolicyEditorChecks(), new ConnectionProfilesJson(), () -> {
                    runtime.join().close();
                    keychain.close();
                }, keychain);
        if (smoke) {
            return DesktopApp.launchSmoke(services);
        }
        DesktopApp.launch(services);
        return APP_RUNNING;
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"RunnerDesk " + Version.current()};
        }
    }
}
