package dev.runnerdesk.contract;

import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.SandboxProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The service contract run against the embedded runtime in a fresh data directory per test, with the providers a
 * subclass hands over; a service per role is the runtime's own.
 */
public abstract class EmbeddedRuntimeContract extends RunnerServiceContract {
    /** A fresh folder per test; the runtime's data directory is {@code data} below it. */
    @TempDir
    protected Path dir;
    private EmbeddedRuntime runtime;

    /** The providers of the runtime; called once per test, before the runtime opens. */
    protected abstract List<SandboxProvider> providers() throws Exception;

    /** After the runtime closed: what the providers needed beside it (a stub server) closes here. */
    protected void closeBeside() {
    }

    @BeforeEach
    final void openRuntime() throws Exception {
        runtime = new EmbeddedRuntime(Files.createDirectories(dir.resolve("data")), Clock.systemUTC(), providers());
    }

    @AfterEach
    final void closeRuntime() {
        runtime.close();
        closeBeside();
    }

    @Override
    protected RunnerService admin() {
        return runtime.serviceFor(Principal.localUser());
    }

    @Override
    protected RunnerService as(Role role) {
        return runtime.serviceFor(new Principal("test-" + role.wireName(), role));
    }

    /** What an {@code echo} prints where commands really run. */
    protected static String echoed(List<String> argv) {
        return String.join(" ", argv.subList(1, argv.size())) + "\n";
    }
}
