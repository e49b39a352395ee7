package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.policy.DefaultPolicies;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxSpec;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One local runner made straight on a {@link LocalProvider} (no runtime in between), for the tests of what the
 * provider serves the runtime: its workspace files and its metrics. Skipped where bubblewrap is missing, as
 * {@link dev.runnerdesk.testutil.Sandboxes} does; required in CI.
 */
final class LocalRunner implements AutoCloseable {
    final LocalProvider provider;
    final String ref;
    final ProfilePolicy policy;
    private final Path dataDir;
    private final AtomicInteger commands = new AtomicInteger();

    LocalRunner(Path dataDir, ToolProfile profile) {
        this.dataDir = dataDir.toAbsolutePath();
        provider = new LocalProvider(dataDir);
        ProviderInfo info = provider.probe();
        if (System.getenv("CI") != null) {
            assertTrue(info.available(), () -> "CI must have bubblewrap: " + info.unavailableReason().orElse(""));
        }
        if (!info.available()) {
            provider.close();
        }
        Assumptions.assumeTrue(info.available(), () -> info.unavailableReason().orElse("local provider unavailable"));
        policy = DefaultPolicies.create().profile(profile);
        ref = "runner_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        provider.create(new SandboxSpec(ref, policy, 600, Optional.empty()));
    }

    /** The workspace as this computer reaches it (through the holder): what a test may plant links in. */
    Path workspace() {
        return WorkspaceHolder.liveWorkspace(Bubblewrap.SandboxDirs.of(dataDir.resolve("sandboxes").resolve(ref))).orElseThrow();
    }

    ExecOutcome sh(String script) {
        return provider.exec(new SandboxCall(ref, "session1", "cmd" + commands.incrementAndGet(), ref),
                new ExecRequest(List.of("sh", "-c", script), 120), policy, (stream, chunk) -> { });
    }

    /** A command that runs until the runner ends (or 120 s), on a thread of its own. */
    CompletableFuture<ExecOutcome> background(String script) {
        return CompletableFuture.supplyAsync(() -> sh(script), r -> {
            Thread t = new Thread(r, "test-command");
            t.setDaemon(true);
            t.start();
        });
    }

    @Override
    public void close() {
        provider.destroy(ref);
        provider.close();
    }
}
