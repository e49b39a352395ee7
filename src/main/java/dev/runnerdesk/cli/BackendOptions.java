package dev.runnerdesk.cli;

import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every {@code runners} command shares: where the runners live, and the output format. */
final class BackendOptions {
    @Mixin
    DataDirOption dataDir;

    @Option(names = "--json", description = "Print JSON (the gateway API's shapes) instead of tables.")
    boolean json;

    /** Opens the backend; the caller closes it. */
    Backend open() {
        EmbeddedRuntime runtime = EmbeddedRuntime.open(dataDir.resolve());
        runtime.reapExpired();
        return new Backend(runtime.serviceFor(Principal.localUser()), runtime);
    }

    record Backend(RunnerService service, EmbeddedRuntime runtime) implements AutoCloseable {
        /** Lets live subscriptions see what other processes (the app, another CLI) write to the same data. */
        void followOtherProcesses() {
            runtime.startBackgroundWork(java.time.Duration.ofMillis(500));
        }

        @Override
        public void close() {
            service.close();
            runtime.close();
        }
    }
}
