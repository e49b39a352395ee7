package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.testutil.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A local runner's metrics: CPU, memory, processes and disk follow what runs in it, from cgroups or from /proc. */
class LocalMetricsTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dataDir;
    private LocalRunner runner;

    @BeforeEach
    void open() {
        runner = new LocalRunner(dataDir, ToolProfile.FULL_VM_TOOLS);
    }

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private MetricsSample sample() {
        return runner.provider.sample(runner.ref, runner.policy).orElseThrow();
    }

    /**
     * Samples until one, taken at least a second after the one before (the CPU % is over that time), passes; a loaded
     * machine may give a busy loop less than a core for a while.
     */
    private static MetricsSample sampleUntil(Supplier<MetricsSample> sampler, java.util.function.Predicate<MetricsSample> ok,
                                             String what) {
        AtomicReference<MetricsSample> last = new AtomicReference<>(sampler.get());
        long[] at = {System.nanoTime()};
        Await.until(() -> {
            if (System.nanoTime() - at[0] < Duration.ofSeconds(1).toNanos()) {
                return false;
            }
            at[0] = System.nanoTime();
            last.set(sampler.get());
            return ok.test(last.get());
        }, Duration.ofSeconds(90), () -> what + "; last sample " + last.get());
        return last.get();
    }

    @Test
    void aBusyLoopShowsOnTheSecondSampleFromCgroupsAndFromProc() {
        MetricsSample idle = sample();
        assertEquals(0, idle.processes(), "nothing runs yet: " + idle);
        assertEquals(MetricsSample.UNKNOWN, idle.cpuPercent(), "the first sample has no CPU figure");
        assertTrue(Set.of("cgroup", "proc").contains(idle.source()), idle.source());
        runner.background("while :; do :; done");
        // the same runner seen the other way: its processes' /proc entries (no cgroup), as RunnerDesk started them
        LocalMetrics proc = new LocalMetrics(Clock.systemUTC());
        SandboxLimits none = SandboxLimits.rlimits(SandboxLimits.currentUid(), "");
        Supplier<MetricsSample> fromProc = () -> proc.sample(runner.ref, runner.policy, none, startedFor(runner.ref),
                new long[]{-1, -1});
        MetricsSample busy = sampleUntil(this::sample, s -> s.cpuPercent() > 50, "a busy loop uses most of a core");
        assertEquals(1, busy.processes(), busy.toString());
        MetricsSample byProc = sampleUntil(fromProc, s -> s.cpuPercent() > 50, "a busy loop, seen in /proc");
        assertEquals("proc", byProc.source());
        assertEquals(1, byProc.processes(), byProc.toString());
        assertEquals(MetricsSample.UNKNOWN, busy.networkRxBytes(), "this profile shares the computer's network");
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            sample();
        }
        System.out.println("busy: " + busy + "; by /proc: " + byProc + "; a sample takes "
                + (System.nanoTime() - start) / 50 / 1000 + " µs");
    }

    /** The processes RunnerDesk started for {@code ref} (bubblewrap, each): the JVM's children that name its folder. */
    private static List<Long> startedFor(String ref) {
        return ProcessHandle.current().children().filter(h -> h.info().commandLine().orElse("").contains(ref))
                .map(ProcessHandle::pid).toList();
    }

    @Test
    void processesAndMemoryFollowWhatRuns() {
        runner.background("sleep 100 & sleep 100 & sleep 100 & wait");
        Await.until(() -> sample().processes() == 4, Duration.ofSeconds(60), () -> "a shell and its three sleeps: " + sample());
        MetricsSample before = sample();
        assertEquals(runner.policy.limits().memoryBytes(), before.memoryLimitBytes());
        runner.background("x=$(head -c 150000000 /dev/zero | tr '\\0' a); echo ready > /workspace/ready; sleep 100 & wait");
        Await.until(() -> {
            try {
                return runner.provider.files(runner.ref).stat(WorkspacePath.parse("path", "ready")) != null;
            } catch (RuntimeException e) {
                return false;
            }
        }, Duration.ofSeconds(60), "the second command holds 150 MB");
        MetricsSample after = sample();
        assertTrue(after.memoryBytes() > before.memoryBytes() + 100 * MIB, before + " then " + after);
        // "ready" is written just before the second command's sleep starts
        Await.until(() -> sample().processes() == 6, Duration.ofSeconds(60), () -> "both commands' processes: " + sample());
        System.out.println("before: " + before + "; after: " + after);
    }

    @Test
    void diskFollowsTheWorkspace() {
        MetricsSample before = sample();
        assertEquals(WorkspaceHolder.sizeMib(runner.policy.limits().diskMib()) * MIB, before.diskLimitBytes());
        runner.provider.files(runner.ref).write(WorkspacePath.parse("path", "data"),
                new ByteArrayInputStream(new byte[(int) (8 * MIB)]), 8 * MIB);
        MetricsSample after = sample();
        assertTrue(after.diskBytes() >= before.diskBytes() + 8 * MIB, before + " then " + after);
    }
}
