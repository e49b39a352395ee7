package dev.runnerdesk.provider.fake;

import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.SandboxSpec;

/** The seed's in-memory provider: nothing runs, every exec answers {@code fake output} with exit 0. */
public final class FakeProvider implements SandboxProvider {
    public static final String OUTPUT = "fake output";

    @Override
    public ProviderType type() {
        return ProviderType.FAKE;
    }

    @Override
    public ProviderInfo probe() {
        return ProviderInfo.available(ProviderType.FAKE, false);
    }

    @Override
    public String create(SandboxSpec spec) {
        return "fake-" + spec.runnerId();
    }

    @Override
    public ExecOutcome exec(SandboxCall call, ExecRequest request, ProfilePolicy policy, OutputListener output) {
        output.onOutput(OutputListener.Stream.STDOUT, OUTPUT);
        return new ExecOutcome(0, OUTPUT, "", false, false);
    }

    @Override
    public void destroy(String sandboxRef) {
        // nothing was allocated
    }
}
