package dev.runnerdesk.provider.local;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workspace's disk limit holds inside the sandbox (ENOSPC past it) for exec and the terminal, one big file and
 * many small ones; the workspace is shared by a runner's concurrent commands, outlives RunnerDesk's restarts, and
 * nothing of it is left after terminate.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkspaceLimitTest {
    private static final String ENOSPC = "No space left on device";
    /** 20 MiB written by awk (the locked profile has no dd, no shell): mawk's sprintf is small, so 8 KiB at a time. */
    private static final String AWK_20_MIB = "BEGIN { s = \"x\"; while (length(s) < 8192) s = s s;"
            + " for (i = 0; i < 2560; i++) printf \"%s\", s > \"/workspace/big\"; if (close(\"/workspace/big\") != 0) exit 3 }";

    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private RunnerService service;

    @BeforeEach
    void open() {
        runtime = EmbeddedRuntimes.open(dataDir);
        service = runtime.serviceFor(Principal.localUser());
        Sandboxes.require(service);
        setDiskMib(8);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private void reopen() {
        runtime.close();
        runtime = EmbeddedRuntimes.open(dataDir);
        service = runtime.serviceFor(Principal.localUser());
    }

    /** Every profile's workspace holds {@code mib}. */
    private void setDiskMib(int mib) {
        Policies current = service.policies();
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(current.profiles());
        current.profiles().forEach((profile, p) -> {
            ResourceLimits l = p.limits();
            profiles.put(profile, p.withLimits(new ResourceLimits(l.maxProcesses(), l.memoryMib(), mib, l.tmpMib(), l.cpuPercent())));
        });
        service.updatePolicies(new Policies(profiles, current.pii()));
    }

    private record Live(Runner runner, Session session) {
        Path root(Path dataDir) {
            return dataDir.resolve("sandboxes").resolve(runner.runnerId());
        }
    }

    private Live start(ToolProfile profile) {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.LOCAL, profile, 600));
        return new Live(r, service.startSession(r.runnerId(), Optional.empty()));
    }

    private ExecResult exec(Live live, String... argv) {
        return service.exec(live.runner().runnerId(), live.session().sessionId(), new ExecRequest(List.of(argv), 60));
    }

    private static void assertFull(ExecResult r) {
        assertNotEquals(0, r.exitCode(), r.stdout());
        assertTrue(r.stderr().contains(ENOSPC), r.stderr());
    }

    private long holderPid(Live live) throws IOException {
        return Long.parseLong(Files.readString(live.root(dataDir).resolve("holder")).split(" ")[0]);
    }

    @Test
    void aBigFileStopsAtTheLimitAndDeletingFreesTheSpace() throws IOException {
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        assertFull(exec(live, "dd", "if=/dev/zero", "of=/workspace/big", "bs=1M", "count=20"));
        assertEquals(0, exec(live, "rm", "/workspace/big").exitCode());
        ExecResult fits = exec(live, "dd", "if=/dev/zero", "of=/workspace/big", "bs=1M", "count=6");
        assertEquals(0, fits.exitCode(), fits.stderr());
        try (var onDisk = Files.list(live.root(dataDir).resolve("workspace"))) {
            assertEquals(0, onDisk.count(), "the workspace is in memory: nothing of it on this computer's disk");
        }
        String isolation = service.providers().stream().filter(p -> p.type() == ProviderType.LOCAL).findFirst().orElseThrow()
                .isolation().get(ToolProfile.FULL_VM_TOOLS);
        assertTrue(isolation.contains("workspace 8 MiB"), "the runner's detail says so: " + isolation);
        // a larger limit in the policy applies to the runner's next command
        setDiskMib(32);
        ExecResult more = exec(live, "dd", "if=/dev/zero", "of=/workspace/more", "bs=1M", "count=20");
        assertEquals(0, more.exitCode(), more.stderr());
    }

    @Test
    void aRestrictedProfileIsHeldToItToo() {
        Live live = start(ToolProfile.LOCKED);
        assertFull(exec(live, "awk", AWK_20_MIB));
        assertEquals(0, exec(live, "rm", "/workspace/big").exitCode());
        ExecResult small = exec(live, "awk", "BEGIN { for (i = 0; i < 5000; i++) { f = \"/workspace/f\" i; print \"x\" > f;"
                + " if (close(f) != 0) exit 3 } }");
        assertFull(small);
        int written = exec(live, "find", "/workspace", "-type", "f").stdout().split("\n").length;
        assertTrue(written > 1000 && written < 2100, "8 MiB of 4 KiB pages: " + written + " files");
    }

    @Test
    void aWorkspaceIsNeverLargerThanHalfTheMemoryItLivesIn() {
        assertEquals(8, WorkspaceHolder.sizeMib(8));
        int huge = (int) ResourceLimits.DISK.max();
        assertTrue(WorkspaceHolder.sizeMib(huge) < huge, "16 TiB of memory and swap here?");
        setDiskMib(huge);
        String isolation = service.providers().stream().filter(p -> p.type() == ProviderType.LOCAL).findFirst().orElseThrow()
                .isolation().get(ToolProfile.LOCKED);
        assertTrue(isolation.contains("half this computer's memory"), isolation);
    }

    @Test
    void nothingElseInTheSandboxTakesWrites() {
        // bubblewrap's own / and /dev are tmpfs mounts as large as half the memory: they would escape every limit
        for (ToolProfile profile : List.of(ToolProfile.LOCKED, ToolProfile.FULL_VM_TOOLS)) {
            Live live = start(profile);
            for (String path : List.of("/w", "/etc/w", "/dev/w", "/usr/w", "/run/w")) {
                ExecResult touch = exec(live, "touch", path);
                assertNotEquals(0, touch.exitCode(), profile + " wrote " + path);
            }
            for (String path : List.of("/workspace/w", "/tmp/w", "/dev/shm/w")) {
                assertEquals(0, exec(live, "touch", path).exitCode(), path);
            }
            assertEquals("", exec(live, "cat", "/dev/null").stdout(), "the devices still work");
        }
    }

    @Test
    void manySmallFilesStopAtTheLimit() {
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        // bash: its echo says why a write failed (dash's says "I/O error")
        assertFull(exec(live, "bash", "-c", "for i in $(seq 5000); do echo x > f$i || exit 1; done"));
        // empty files take no space, but each takes an inode: those are limited too
        assertFull(exec(live, "bash", "-c", "rm -f f*; for i in $(seq 10000); do : > e$i || exit 1; done"));
        assertEquals(0, exec(live, "bash", "-c", "rm -f e*; echo ok > /workspace/after").exitCode());
    }

    @Test
    void concurrentCommandsAndTheTerminalShareOneWorkspace() throws Exception {
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        TerminalScreen screen = new TerminalScreen();
        Terminal terminal = service.openTerminal(live.runner().runnerId(), live.session().sessionId(), new TerminalSize(80, 24), screen);
        try {
            CompletableFuture<ExecResult> waiting = CompletableFuture.supplyAsync(() -> exec(live, "sh", "-c",
                    "while [ ! -e /workspace/flag ]; do sleep 0.05; done; cat /workspace/flag"));
            assertEquals(0, exec(live, "sh", "-c", "echo from-exec > /workspace/note").exitCode());
            terminal.write("cat note; echo flag-$((6*7)) > flag\n".getBytes(StandardCharsets.UTF_8));
            screen.await("from-exec");
            assertEquals("flag-42\n", waiting.get(60, TimeUnit.SECONDS).stdout(), "a running command saw the terminal's file");
            terminal.write("dd if=/dev/zero of=big bs=1M count=20\n".getBytes(StandardCharsets.UTF_8));
            screen.await(ENOSPC);
            assertFull(exec(live, "cp", "/workspace/note", "/workspace/other"));
            assertEquals(0, exec(live, "rm", "/workspace/big").exitCode());
            assertEquals("from-exec\nflag-42\n", exec(live, "cat", "/workspace/note", "/workspace/flag").stdout());
        } finally {
            terminal.close();
        }
    }

    @Test
    void theFilesOutliveRunnerDesksRestart() throws IOException {
        Live live = start(ToolProfile.LOCKED);
        assertEquals(0, exec(live, "mkdir", "/workspace/kept").exitCode());
        assertEquals(0, exec(live, "touch", "/workspace/kept/file").exitCode());
        long holder = holderPid(live);
        reopen();
        assertEquals(0, runtime.reconcile(), "no runner is missing");
        assertEquals("/workspace/kept/file\n", exec(live, "find", "/workspace/kept", "-type", "f").stdout());
        assertEquals(holder, holderPid(live), "the same workspace, not a new one");
    }

    @Test
    void aLostWorkspaceFailsTheRunnerWithTheReasonNeverAnEmptyOne() throws Exception {
        Live live = start(ToolProfile.LOCKED);
        assertEquals(0, exec(live, "touch", "/workspace/file").exitCode());
        // as after the computer restarted: the holder, and the memory its workspace was in, are gone
        ProcessHandle holder = ProcessHandle.of(holderPid(live)).orElseThrow();
        holder.descendants().forEach(ProcessHandle::destroyForcibly);
        holder.destroyForcibly();
        holder.onExit().get(10, TimeUnit.SECONDS);
        RunnerException lost = assertThrows(RunnerException.Conflict.class, () -> exec(live, "ls", "/workspace"));
        assertTrue(lost.getMessage().contains("memory"), lost.getMessage());
        reopen();
        assertEquals(1, runtime.reconcile());
        Runner failed = service.get(live.runner().runnerId());
        assertEquals(RunnerState.FAILED, failed.state());
        assertTrue(failed.error().orElse("").contains("restarted"), failed.error().toString());
    }

    @Test
    void terminateLeavesNothing() throws Exception {
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        assertEquals(0, exec(live, "dd", "if=/dev/zero", "of=/workspace/data", "bs=1M", "count=4").exitCode());
        long pid = holderPid(live);
        service.terminate(live.runner().runnerId());
        assertFalse(Files.exists(live.root(dataDir)), "the sandbox's folder is gone");
        Optional<ProcessHandle> holder = ProcessHandle.of(pid);
        if (holder.isPresent()) {
            holder.get().onExit().get(10, TimeUnit.SECONDS); // ended by terminate; only its reaping may be pending
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the workspace's holder is gone");
        String id = live.runner().runnerId();
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(id)),
                "no process of the runner is left");
    }

    @Test
    void aWorkspaceAnEarlierVersionKeptOnDiskMovesIntoTheLimitedOne() throws IOException {
        Live live = start(ToolProfile.LOCKED);
        Bubblewrap.SandboxDirs dirs = Bubblewrap.SandboxDirs.of(live.root(dataDir));
        // as a runner made before workspaces were held to their size: files on disk, no holder
        WorkspaceHolder.stop(dirs);
        Files.delete(dirs.root().resolve("holder"));
        Files.createDirectories(dirs.workspace().resolve("src"));
        Files.writeString(dirs.workspace().resolve("src/old.txt"), "from before\n");
        Files.createSymbolicLink(dirs.workspace().resolve("link"), Path.of("/etc/hostname"));
        assertEquals("from before\n", exec(live, "cat", "/workspace/src/old.txt").stdout());
        assertEquals("/etc/hostname\n", exec(live, "find", "/workspace/link", "-printf", "%l\n").stdout(), "links stay links");
        try (var onDisk = Files.list(dirs.workspace())) {
            assertEquals(0, onDisk.count(), "nothing of it left on disk");
        }
        assertFull(exec(live, "awk", AWK_20_MIB));
    }
}
