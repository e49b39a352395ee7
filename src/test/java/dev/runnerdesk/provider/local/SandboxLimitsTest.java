package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.testutil.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Resource limits on this machine, for real: a launcher script like the sandbox's (join the group, prlimit, exec)
 * runs a fork loop, an allocation over the limit and a busy loop, and the kernel's counters say what happened.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxLimitsTest {
    private static final long ROOT = 0;
    private static final long NOBODY = 65534;
    private static SandboxLimits probed;
    private static Optional<Path> bwrap;

    @BeforeAll
    static void probe() {
        probed = SandboxLimits.probe("runnerdesk-test");
        bwrap = Bubblewrap.findProgram("bwrap");
    }

    private static boolean root() {
        return SandboxLimits.currentUid() == ROOT;
    }

    /** As root in CI the cgroup v1 hierarchies are there and must be used; elsewhere a test without cgroups is skipped. */
    private static void requireCgroups() {
        if (System.getenv("CI") != null && root()) {
            assertNotEquals(SandboxLimits.Mechanism.RLIMITS, probed.mechanism(), probed.explanation());
        }
        assumeTrue(probed.mechanism() != SandboxLimits.Mechanism.RLIMITS, () -> "no cgroup this user may write: " + probed.explanation());
    }

    private record Ran(int exit, String output, Duration took) {
    }

    /**
     * The sandbox launcher's part: a /bin/sh script that joins the group, applies the prlimit options and execs
     * the command (under bubblewrap when {@code sandboxed}), optionally started as another user.
     */
    private static Process launch(SandboxLimits.Group g, String script, boolean sandboxed, List<String> asUser) throws IOException {
        List<String> lines = new ArrayList<>(g.joinCommands());
        // as the real launcher: the limits are applied inside a user namespace of the sandbox's own
        List<String> exec = new ArrayList<>(List.of("exec", "unshare", "--user", "--map-root-user", "--mount", "--"));
        if (!g.rlimitOptions().isEmpty()) {
            exec.add("prlimit");
            exec.addAll(g.rlimitOptions());
            exec.add("--");
        }
        if (sandboxed) {
            exec.addAll(List.of(bwrap.orElseThrow().toString(), "--die-with-parent", "--unshare-all", "--ro-bind", "/", "/",
                    "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--"));
        }
        exec.addAll(List.of("sh", "-c", "\"$1\""));
        lines.add(String.join(" ", exec));
        List<String> command = new ArrayList<>(asUser);
        command.addAll(List.of("sh", "-c", String.join("\n", lines), "sh", script));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static Ran run(SandboxLimits.Group g, String script, boolean sandboxed, List<String> asUser) throws Exception {
        long start = System.nanoTime();
        Process p = launch(g, script, sandboxed, asUser);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readNBytes(1 << 20);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("did not finish: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
    }

    private static final String FORK_LOOP = "for i in $(seq 100); do sleep 300 >/dev/null 2>&1 & echo \"started $!\"; done";

    private static int started(String output) {
        Matcher m = Pattern.compile("(?m)^started \\d+$").matcher(output);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static List<Long> procs(SandboxLimits.Group g) {
        List<Long> pids = new ArrayList<>();
        for (Path dir : g.directories()) {
            CgroupFiles.readSmall(dir.resolve("cgroup.procs")).orElse("").lines().map(String::strip).filter(s -> !s.isEmpty())
                    .map(Long::parseLong).filter(p -> !pids.contains(p)).forEach(pids::add);
        }
        return pids;
    }

    private static void awaitGone(List<Long> pids) {
        Await.until(() -> pids.stream().noneMatch(SandboxLimitsTest::alive), Duration.ofSeconds(20), () -> "the end of " + pids);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Path file(SandboxLimits.Group g, String name) {
        return g.directories().stream().map(d -> d.resolve(name)).filter(Files::exists).findFirst()
                .orElseThrow(() -> new AssertionError(name + " in none of " + g.directories()));
    }

    @Test
    void aForkLoopStopsAtTheProcessLimitAndTheHostStaysResponsive() throws Exception {
        requireCgroups();
        SandboxLimits.Group g = probed.create("forkloop", new ResourceLimits(20, 256, 64, 64, 100));
        List<Long> inside = List.of();
        try {
            assertEquals("20", CgroupFiles.readSmall(file(g, "pids.max")).orElseThrow().strip());
            Ran ran = run(g, FORK_LOOP, bwrap.isPresent(), List.of());
            int started = started(ran.output());
            System.out.printf("fork loop under a 20-process cgroup (%s): %d of 100 sleeps started%n",
                    bwrap.isPresent() ? "in bubblewrap" : "plain sh", started);
            assertTrue(started <= 20, started + " started:\n" + ran.output());
            assertTrue(started >= 10, "the loop ran until the limit, not less: " + started + "\n" + ran.output());
            assertTrue(ran.output().contains("fork"), "the shell was refused a fork:\n" + ran.output());

            // the host, outside the group, still starts processes at once
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("true").start();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 5);
            inside = procs(g);
            if (!bwrap.isPresent()) {
                assertTrue(inside.size() >= started, "the sleeps are still in the group: " + inside);
            }
        } finally {
            g.close();
        }
        awaitGone(inside);
        for (Path dir : g.directories()) {
            assertFalse(Files.exists(dir), dir + " removed");
        }
    }

    @Test
    void overTheMemoryLimitTheOomKillerEndsItAndTheGroupSaysSo() throws Exception {
        requireCgroups();
        String allocate200MiB = "head -c 200M /dev/zero | tail >/dev/null; echo \"exit $?\"";
        try (SandboxLimits.Group g = probed.create("oom", new ResourceLimits(64, 64, 64, 64, 100))) {
            assertFalse(g.oomKilled(), "a fresh group has killed nothing");
            Ran ran = run(g, allocate200MiB, false, List.of());
            System.out.println("200 MiB under a 64 MiB cgroup: " + ran.output().strip() + ", oomKilled=" + g.oomKilled());
            assertTrue(ran.output().contains("exit 137"), "tail ended by SIGKILL:\n" + ran.output());
            assertTrue(g.oomKilled());
            g.close();
            assertTrue(g.oomKilled(), "still known after close");
        }
        // the same allocation under a limit it fits in is left alone: the test above could fail
        try (SandboxLimits.Group g = probed.create("nooom", new ResourceLimits(64, 512, 64, 64, 100))) {
            Ran ran = run(g, allocate200MiB, false, List.of());
            assertTrue(ran.output().contains("exit 0"), ran.output());
            assertFalse(g.oomKilled());
        }
    }

    @Test
    void closeKillsWhatIsLeftEvenWhatIgnoresTermAndRemovesTheDirectories() throws Exception {
        requireCgroups();
        SandboxLimits.Group g = probed.create("leftovers", new ResourceLimits(64, 256, 64, 64, 100));
        Ran ran = run(g, "trap '' TERM HUP; (trap '' TERM HUP; sleep 300) >/dev/null 2>&1 & echo \"started $!\"", false, List.of());
        assertEquals(1, started(ran.output()), ran.output());
        List<Long> inside = procs(g);
        assertFalse(inside.isEmpty(), "the background subshell and its sleep are in the group");
        g.close();
        awaitGone(inside);
        for (Path dir : g.directories()) {
            assertFalse(Files.exists(dir), dir + " removed");
        }
        g.close(); // twice is fine
    }

    @Test
    void theCpuShareIsAQuotaThatThrottles() throws Exception {
        requireCgroups();
        try (SandboxLimits.Group g = probed.create("cpu", new ResourceLimits(64, 256, 64, 64, 20))) {
            Path quota = g.directories().stream().map(d -> d.resolve("cpu.cfs_quota_us")).filter(Files::exists).findFirst()
                    .orElseGet(() -> file(g, "cpu.max"));
            String value = CgroupFiles.readSmall(quota).orElseThrow().strip();
            assertTrue(value.equals("20000") || value.equals("20000 100000"), quota + ": " + value);
            run(g, "timeout 2 sh -c 'while :; do :; done'; true", false, List.of());
            Matcher m = Pattern.compile("(?m)^nr_throttled (\\d+)$").matcher(CgroupFiles.readSmall(file(g, "cpu.stat")).orElseThrow());
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "a busy loop at 20% of a core is throttled");
        }
    }

    @Test
    void aStaleGroupOfTheSameNameIsReplaced() throws Exception {
        requireCgroups();
        SandboxLimits.Group first = probed.create("stale", new ResourceLimits(64, 256, 64, 64, 100));
        run(first, "sleep 300 >/dev/null 2>&1 & echo \"started $!\"", false, List.of());
        List<Long> inside = procs(first);
        // as if RunnerDesk had crashed: no close(), and the same runner's group is made again
        try (SandboxLimits.Group second = probed.create("stale", new ResourceLimits(30, 256, 64, 64, 100))) {
            awaitGone(inside);
            assertEquals("30", CgroupFiles.readSmall(file(second, "pids.max")).orElseThrow().strip());
        }
    }

    @Test
    void describeSaysWhichMechanismAndHowEachLimitIsHeld() {
        ResourceLimits l = new ResourceLimits(64, 512, 100, 100, 150);
        String text = probed.describe(l);
        switch (probed.mechanism()) {
            case CGROUP_V1 -> assertTrue(text.startsWith("cgroup v1: "), text);
            case CGROUP_V2 -> assertTrue(text.startsWith("cgroup v2: "), text);
            case RLIMITS -> assertTrue(text.startsWith("rlimits: "), text);
        }
        if (probed.mechanism() != SandboxLimits.Mechanism.RLIMITS) {
            assertTrue(text.endsWith("64 processes, 512 MiB memory (swap included), CPU 150% of one core")
                    || text.endsWith("64 processes, 512 MiB memory (swap not counted), CPU 150% of one core"), text);
            assertEquals(List.of(), probed.notEnforced());
        }
        assertFalse(probed.explanation().isBlank());

        SandboxLimits asRoot = SandboxLimits.rlimits(ROOT, "test");
        assertEquals("rlimits: processes not limited (RLIMIT_NPROC is not enforced for root, which the sandbox runs as), "
                + "512 MiB of data per process (RLIMIT_DATA: going over makes an allocation fail with an error, not an oom kill), "
                + "CPU not limited (no cgroup)", asRoot.describe(l));
        assertEquals(List.of("max_processes", "cpu_percent"), asRoot.notEnforced());
        SandboxLimits asUser = SandboxLimits.rlimits(1000, "test");
        assertTrue(asUser.describe(l).startsWith("rlimits: 64 processes (RLIMIT_NPROC, "), asUser.describe(l));
        assertTrue(asUser.describe(l).contains("512 MiB of data per process (RLIMIT_DATA"), asUser.describe(l));
        assertEquals(List.of("cpu_percent"), asUser.notEnforced());
        assertEquals(SandboxLimits.Mechanism.RLIMITS, asUser.mechanism());
    }

    @Test
    void theProbeExplainsWhyCgroupV2WasNotUsedHere() {
        assumeTrue(probed.mechanism() == SandboxLimits.Mechanism.CGROUP_V1, "this machine has cgroup v1 controllers");
        assertTrue(probed.explanation().startsWith("cgroup v1 under "), probed.explanation());
        assertTrue(probed.explanation().contains("cgroup v2"), "and why not v2: " + probed.explanation());
    }

    @Test
    void aDelegatedV1BaseIsUsedAsGivenAndLeftInPlace() throws Exception {
        requireCgroups();
        assumeTrue(probed.mechanism() == SandboxLimits.Mechanism.CGROUP_V1 && root(), "making a v1 base needs root");
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        String cgroup = Files.readString(Path.of("/proc/self/cgroup"));
        // what an administrator does for an ordinary user: a subtree per controller (here at each hierarchy's root)
        List<Path> made = new ArrayList<>();
        for (String c : List.of("pids", "memory", "cpu")) {
            Path mount = CgroupFiles.Mount.parseAll(mountinfo).stream()
                    .filter(m -> m.fstype().equals("cgroup") && m.superOptions().contains(c)).findFirst().orElseThrow().point();
            made.add(Files.createDirectories(mount.resolve("runnerdesk-delegated-test")));
        }
        try {
            SandboxLimits delegated = SandboxLimits.probe("runnerdesk",
                    new SandboxLimits.Host(mountinfo, cgroup, ROOT, Optional.of("/runnerdesk-delegated-test")));
            assertEquals(SandboxLimits.Mechanism.CGROUP_V1, delegated.mechanism(), delegated.explanation());
            assertTrue(delegated.explanation().contains(SandboxLimits.V1_BASE_ENV), delegated.explanation());
            try (SandboxLimits.Group g = delegated.create("one", ResourceLimits.DEFAULT)) {
                assertTrue(g.directories().stream().allMatch(d -> d.getParent().getFileName().toString().equals("runnerdesk-delegated-test")),
                        g.directories().toString());
            }
            for (Path base : made) {
                assertTrue(Files.isDirectory(base), "the administrator's base stays: " + base);
            }
            SandboxLimits bad = SandboxLimits.probe("runnerdesk", new SandboxLimits.Host(mountinfo, cgroup, ROOT, Optional.of("/a/../b")));
            assertTrue(bad.explanation().contains(SandboxLimits.V1_BASE_ENV), bad.explanation());
        } finally {
            for (Path base : made) {
                Files.deleteIfExists(base);
            }
        }
    }

    /**
     * What CI (and an administrator) does for an ordinary user: a v1 subtree per controller chowned to the user, named
     * by {@value SandboxLimits#V1_BASE_ENV}. A JVM running as that user probes, limits a fork loop and an allocation,
     * and cleans up.
     */
    @Test
    void aDelegatedV1BaseServesAnOrdinaryUser() throws Exception {
        requireCgroups();
        assumeTrue(probed.mechanism() == SandboxLimits.Mechanism.CGROUP_V1 && root() && Bubblewrap.findProgram("setpriv").isPresent(),
                "delegating a v1 subtree needs root and setpriv");
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        List<Path> made = new ArrayList<>();
        for (String c : List.of("pids", "memory", "cpu")) {
            Path mount = CgroupFiles.Mount.parseAll(mountinfo).stream()
                    .filter(m -> m.fstype().equals("cgroup") && m.superOptions().contains(c)).findFirst().orElseThrow().point();
            Path base = Files.createDirectories(mount.resolve("runnerdesk-user-test"));
            made.add(base);
            try (var files = Files.list(base)) {
                for (Path f : files.toList()) {
                    Files.setAttribute(f, "unix:uid", (int) NOBODY);
                }
            }
            Files.setAttribute(base, "unix:uid", (int) NOBODY);
        }
        try {
            String classpath = Path.of(SandboxLimits.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + ":"
                    + Path.of(SandboxLimitsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(concat(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"),
                    List.of(java, "-cp", classpath, OrdinaryUser.class.getName()))).redirectErrorStream(true).directory(new File("/"));
            pb.environment().put(SandboxLimits.V1_BASE_ENV, "/runnerdesk-user-test");
            Process p = pb.start();
            String out = new String(p.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), out);
            assertTrue(out.contains("mechanism CGROUP_V1"), out);
            Matcher started = Pattern.compile("(?m)^started (\\d+)$").matcher(out);
            assertTrue(started.find() && Integer.parseInt(started.group(1)) <= 20 && Integer.parseInt(started.group(1)) >= 10, out);
            assertTrue(out.contains("oom true"), out);
            assertTrue(out.contains("left 0"), out);
            for (Path base : made) {
                try (var children = Files.list(base)) {
                    assertEquals(List.of(), children.filter(Files::isDirectory).toList(), "the user's groups are gone");
                }
            }
        } finally {
            for (Path base : made) {
                Files.deleteIfExists(base);
            }
        }
    }

    /** The ordinary user's side of {@link #aDelegatedV1BaseServesAnOrdinaryUser}, in its own JVM. */
    static final class OrdinaryUser {
        public static void main(String[] args) throws Exception {
            SandboxLimits limits = SandboxLimits.probe("runnerdesk");
            System.out.println("mechanism " + limits.mechanism() + " " + limits.explanation());
            List<Long> inside;
            try (SandboxLimits.Group forks = limits.create("forks", new ResourceLimits(20, 256, 64, 64, 100));
                    SandboxLimits.Group memory = limits.create("memory", new ResourceLimits(64, 64, 64, 64, 100))) {
                Process p = new ProcessBuilder("sh", "-c", String.join("\n", forks.joinCommands()) + "\n" + FORK_LOOP)
                        .redirectErrorStream(true).start();
                System.out.println("started " + started(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
                p.waitFor();
                p = new ProcessBuilder("sh", "-c", String.join("\n", memory.joinCommands()) + "\nhead -c 200M /dev/zero | tail >/dev/null")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor();
                System.out.println("oom " + memory.oomKilled());
                inside = procs(forks);
            }
            // a killed process can take a moment to be reaped by init
            List<Long> forked = inside;
            Await.within(() -> forked.stream().noneMatch(SandboxLimitsTest::alive), Duration.ofSeconds(20), "the forks' end");
            System.out.println("left " + forked.stream().filter(SandboxLimitsTest::alive).count());
        }
    }

    // ---- rlimits ---------------------------------------------------------------------------------------------------

    @Test
    void rlimitsHoldTheAddressSpaceAndSayAnAllocationFailureIsNoOom() throws Exception {
        assumeTrue(Bubblewrap.findProgram("prlimit").isPresent(), "prlimit (util-linux) is not installed");
        SandboxLimits rlimits = SandboxLimits.rlimits(SandboxLimits.currentUid(), "test");
        try (SandboxLimits.Group g = rlimits.create("as", new ResourceLimits(1000, 64, 64, 64, 100))) {
            assertEquals(List.of(), g.joinCommands());
            assertTrue(g.rlimitOptions().contains("--data=" + (64L << 20)), g.rlimitOptions().toString());
            Ran over = run(g, "head -c 200M /dev/zero | tail >/dev/null; echo \"exit $?\"", false, List.of());
            assertTrue(over.output().contains("exit 1") && over.output().contains("memory exhausted"), over.output());
            assertFalse(g.oomKilled(), "an rlimit makes an error, not an oom kill");
            Ran under = run(g, "head -c 20M /dev/zero | tail >/dev/null; echo \"exit $?\"", false, List.of());
            assertTrue(under.output().contains("exit 0"), under.output());
        }
    }

    /**
     * RLIMIT_NPROC counts every task of the user, in every user namespace up to the first: with the plain limit,
     * bubblewrap cannot even start for a user who already runs more. The group adds what the user runs now.
     */
    @Test
    void rlimitsHoldProcessesForAnOrdinaryUserWhoIsAlreadyBusy() throws Exception {
        assumeTrue(Bubblewrap.findProgram("prlimit").isPresent(), "prlimit (util-linux) is not installed");
        assumeTrue(root() && Bubblewrap.findProgram("setpriv").isPresent(), "becoming another user needs root and setpriv");
        List<String> asNobody = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");
        // the user's other work: 30 processes
        Process busy = new ProcessBuilder(concat(asNobody,
                List.of("sh", "-c", "for i in $(seq 30); do sleep 300 >/dev/null 2>&1 & echo $!; done; exec sleep 300"))).start();
        List<Long> others = new ArrayList<>();
        try {
            var reader = new BufferedReader(new InputStreamReader(busy.getInputStream(), StandardCharsets.US_ASCII));
            for (int i = 0; i < 30; i++) {
                others.add(Long.parseLong(reader.readLine().strip()));
            }
            SandboxLimits rlimits = SandboxLimits.rlimits(NOBODY, "test");
            ResourceLimits l = new ResourceLimits(20, 1024, 64, 64, 100);
            boolean sandboxed = bwrap.isPresent();
            try (SandboxLimits.Group g = rlimits.create("nproc", l)) {
                assertEquals("--nproc=20", g.rlimitOptions().get(0), "the user's other processes do not count");
                Ran ran = run(g, FORK_LOOP, sandboxed, asNobody);
                if (!sandboxed) {
                    killStarted(ran.output());
                }
                int started = started(ran.output());
                System.out.printf("fork loop as a user already running 30 other tasks, RLIMIT_NPROC 20 (%s): %d of 100 started%n",
                        sandboxed ? "in bubblewrap" : "plain sh", started);
                assertTrue(started >= 10 && started <= 20, started + " started:\n" + ran.output());
            }
        } finally {
            busy.destroyForcibly();
            others.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** What describe() says for root is what the kernel does: RLIMIT_NPROC does not hold root's processes. */
    @Test
    void rlimitsDoNotHoldRootsProcessesAsDescribeSays() throws Exception {
        assumeTrue(Bubblewrap.findProgram("prlimit").isPresent(), "prlimit (util-linux) is not installed");
        assumeTrue(root(), "only root is exempt");
        SandboxLimits rlimits = SandboxLimits.rlimits(ROOT, "test");
        assertTrue(rlimits.describe(ResourceLimits.DEFAULT).contains("not enforced for root"));
        try (SandboxLimits.Group g = rlimits.create("root", new ResourceLimits(20, 1024, 64, 64, 100))) {
            Ran ran = run(g, FORK_LOOP, false, List.of());
            killStarted(ran.output());
            assertEquals(100, started(ran.output()), ran.output());
        }
    }

    /** The sleeps a fork loop outside bubblewrap left behind (inside, the sandbox's end ends them). */
    private static void killStarted(String output) {
        Matcher m = Pattern.compile("(?m)^started (\\d+)$").matcher(output);
        while (m.find()) {
            ProcessHandle.of(Long.parseLong(m.group(1))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
