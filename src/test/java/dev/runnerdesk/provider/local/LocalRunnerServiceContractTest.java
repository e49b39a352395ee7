package dev.runnerdesk.provider.local;

import dev.runnerdesk.contract.RunnerServiceContract;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.Sandboxes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The whole service contract with runners in local bubblewrap sandboxes (required in CI; skipped elsewhere without it). */
class LocalRunnerServiceContractTest extends RunnerServiceContract {
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;

    @BeforeEach
    void open() {
        runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new FakeProvider(), new LocalProvider(dataDir)));
        Sandboxes.require(admin());
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Override
    protected ProviderType providerType() {
        return ProviderType.LOCAL;
    }

    @Override
    protected String expectedStdout(List<String> argv) {
        return String.join(" ", argv.subList(1, argv.size())) + "\n";
    }

    @Override
    protected RunnerService admin() {
        return runtime.serviceFor(Principal.localUser());
    }

    @Override
    protected RunnerService as(Role role) {
        return runtime.serviceFor(new Principal("test-" + role.wireName(), role));
    }
}
