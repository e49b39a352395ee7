package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.contract.EmbeddedRuntimeContract;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.fake.FakeProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/** The whole service contract with runners in E2B sandboxes, against the protocol stub (commands really run). */
class E2bRunnerServiceContractTest extends EmbeddedRuntimeContract {
    private E2bStub stub;

    @Override
    protected List<SandboxProvider> providers() throws IOException {
        stub = new E2bStub(Files.createDirectories(dir.resolve("e2b")));
        return List.of(new FakeProvider(), new E2bProvider(stub::config, () -> Optional.of(E2bStub.KEY)));
    }

    @Override
    protected void closeBeside() {
        stub.close();
    }

    @Override
    protected ProviderType providerType() {
        return ProviderType.E2B;
    }

    @Override
    protected String expectedStdout(List<String> argv) {
        return echoed(argv);
    }
}
