package dev.runnerdesk.embedded;

import dev.runnerdesk.contract.RunnerServiceContract;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.provider.fake.FakeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

class EmbeddedRunnerServiceContractTest extends RunnerServiceContract {
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;

    @BeforeEach
    void open() {
        runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new FakeProvider()));
    }

    @AfterEach
    void close() {
        runtime.close();
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
