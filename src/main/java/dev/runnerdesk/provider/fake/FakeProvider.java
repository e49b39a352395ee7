package dev.runnerdesk.provider.fake;

import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.SandboxSpec;
import dev.runnerdesk.provider.WorkspaceFiles;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The seed's in-memory provider: nothing runs, every exec answers {@code fake output} with exit 0. Each sandbox has
 * an in-memory workspace ({@link FakeWorkspace}) bounded by its profile's disk limit, and made-up metrics
 * ({@code synthetic}) drawn from what the workspace holds and a slow wave, so charts have something to show.
 */
public final class FakeProvider implements SandboxProvider {
    public static final String OUTPUT = "fake output";
    /** How long the synthetic CPU wave takes to go round. */
    private static final double CPU_WAVE_SECONDS = 120;
    private static final long BASE_MEMORY_BYTES = 48L * 1024 * 1024;

    private final Clock clock;
    private final Map<String, FakeWorkspace> workspaces = new ConcurrentHashMap<>();
    /** Watchers hear changes here, never on the caller's thread; its thread starts with the first watch. */
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-provider-watch");
        t.setDaemon(true);
        return t;
    });

    public FakeProvider() {
        this(Clock.systemUTC());
    }

    public FakeProvider(Clock clock) {
        this.clock = clock;
    }

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
        String ref = "fake-" + spec.runnerId();
        workspaces.put(ref, new FakeWorkspace(spec.policy().limits().diskBytes(), clock, notifier));
        return ref;
    }

    @Override
    public ExecOutcome exec(SandboxCall call, ExecRequest request, ProfilePolicy policy, OutputListener output) {
        output.onOutput(OutputListener.Stream.STDOUT, OUTPUT);
        return new ExecOutcome(0, OUTPUT, "", false, false);
    }

    @Override
    public WorkspaceFiles files(String sandboxRef) {
        return workspace(sandboxRef);
    }

    /**
     * The sandbox's workspace (for tests: its symlink hook and its size). A sandbox made before this process started
     * (the fake keeps nothing on disk) gets an empty one within the default disk limit.
     */
    public FakeWorkspace workspace(String sandboxRef) {
        return workspaces.computeIfAbsent(sandboxRef, ref -> new FakeWorkspace(ResourceLimits.DEFAULT.diskBytes(), clock, notifier));
    }

    @Override
    public Optional<MetricsSample> sample(String sandboxRef, ProfilePolicy policy) {
        // never makes a workspace: a sample racing the sandbox's destroy must not bring it back
        FakeWorkspace ws = workspaces.get(sandboxRef);
        long used = ws == null ? 0 : ws.usedBytes();
        ResourceLimits limits = policy.limits();
        double seconds = clock.millis() / 1000.0;
        double wave = Math.sin(2 * Math.PI * seconds / CPU_WAVE_SECONDS);
        double cpu = Math.min(limits.cpuPercent(), 12 + 10 * wave + Math.min(30, ws == null ? 0 : ws.entryCount()));
        long memory = Math.min(limits.memoryBytes(), BASE_MEMORY_BYTES + used / 4);
        return Optional.of(new MetricsSample(clock.instant(), Math.max(0, cpu), memory, limits.memoryBytes(), used,
                limits.diskBytes(), 1, ws == null ? 0 : ws.bytesWritten(), ws == null ? 0 : ws.bytesRead(), "synthetic"));
    }

    @Override
    public void destroy(String sandboxRef) {
        FakeWorkspace ws = workspaces.remove(sandboxRef);
        if (ws != null) {
            ws.end();
        }
    }

    @Override
    public void close() {
        notifier.shutdown();
    }
}
