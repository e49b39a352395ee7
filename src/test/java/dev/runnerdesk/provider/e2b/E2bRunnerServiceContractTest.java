package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.contract.RunnerServiceContract;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The whole service contract with runners in E2B sandboxes, against the protocol stub (commands really run). */
class E2bRunnerServiceContractTest extends RunnerServiceContract {
    @TempDir
    Path dir;
    private E2bStub stub;
    private EmbeddedRuntime runtime;

    @BeforeEach
    void open() throws IOException {
        stub = new E2bStub(Files.createDirectories(dir.resolve("e2b")));
        runtime = new EmbeddedRuntime(Files.createDirectories(dir.resolve("data")), Clock.systemUTC(),
                List.of(new FakeProvider(), new E2bProvider(stub::config, () -> Optional.of(E2bStub.KEY))));
    }

    @AfterEach
    void close() {
        runtime.close();
        stub.close();
    }

    @Override
    protected ProviderType providerType() {
        return ProviderType.E2B;
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
