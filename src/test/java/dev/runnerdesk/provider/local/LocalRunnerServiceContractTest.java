package dev.runnerdesk.provider.local;

import dev.runnerdesk.contract.EmbeddedRuntimeContract;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.Sandboxes;

import org.junit.jupiter.api.BeforeEach;

import java.util.List;

/** The whole service contract with runners in local bubblewrap sandboxes (required in CI; skipped elsewhere without it). */
class LocalRunnerServiceContractTest extends EmbeddedRuntimeContract {
    @Override
    protected List<SandboxProvider> providers() {
        return List.of(new FakeProvider(), new LocalProvider(dir.resolve("data")));
    }

    @BeforeEach
    void requireSandbox() {
        Sandboxes.require(admin());
    }

    @Override
    protected ProviderType providerType() {
        return ProviderType.LOCAL;
    }

    @Override
    protected String expectedStdout(List<String> argv) {
        return echoed(argv);
    }
}
