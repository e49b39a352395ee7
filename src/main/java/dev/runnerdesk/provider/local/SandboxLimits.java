package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.RunnerException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a sandbox's {@link ResourceLimits} are enforced on this machine, chosen once by {@link #probe}:
 * <ol>
 *   <li>cgroup v2, in a child of our own cgroup, when that cgroup is delegated to us and can hand the memory, pids and
 *       cpu controllers to children without RunnerDesk's own process moving (v2 allows no processes in a cgroup that
 *       does: this works at a cgroup namespace's root, e.g. a container, and where the controllers are already on);</li>
 *   <li>cgroup v1, one group per controller (pids, memory, cpu) under our own cgroup of each hierarchy, or under the
 *       path named by {@value #V1_BASE_ENV} / {@value #V1_BASE_PROPERTY} below each controller's mount point (a
 *       subtree an administrator made and chowned to the user, e.g. {@code /runnerdesk} for
 *       {@code /sys/fs/cgroup/{pids,memory,cpu}/runnerdesk}); that base is used as given and never removed;</li>
 *   <li>rlimits, applied by the launcher with prlimit(1): processes and address space only.</li>
 * </ol>
 * Each mechanism is tried for real (a probe group is made with sample limits and removed) before it is chosen, so
 * a half-usable hierarchy falls through to the next with the reason instead of failing later.
 * <p>The disk and /tmp limits are not here: they are sizes of the sandbox's file systems, not of its processes.
 */
final class SandboxLimits {
    enum Mechanism { CGROUP_V2, CGROUP_V1, RLIMITS }

    /** A sandbox's share of the machine, made by {@link #create}; close it when the sandbox ends. */
    interface Group extends AutoCloseable {
        /**
         * Shell lines the sandbox launcher (a /bin/sh script run just before {@code exec bwrap}) runs to put itself
         * into the group; each exits the script with 125 if it cannot. Empty for rlimits.
         */
        List<String> joinCommands();

        /** prlimit(1) options the launcher applies to itself before {@code exec bwrap}; empty where cgroups cover it. */
        List<String> rlimitOptions();

        /** True once the kernel's OOM killer has killed something in this group (still answers after close). */
        boolean oomKilled();

        /** The group's cgroup directories (v1: one per controller); empty for rlimits. */
        List<Path> directories();

        /** Kills what is left in the group and removes its directories. */
        @Override
        void close();
    }

    static final String V1_BASE_ENV = "RUNNERDESK_CGROUP_V1";
    static final String V1_BASE_PROPERTY = "runnerdesk.cgroup.v1";
    static final String FIELD_PROCESSES = ResourceLimits.PROCESSES.field();
    static final String FIELD_CPU = ResourceLimits.CPU.field();

    private static final System.Logger LOG = System.getLogger(SandboxLimits.class.getName());
    /** Names of groups and of the app's base: no dots, so never a cgroup control file's name, and nothing to quote. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern STATUS_UID = Pattern.compile("(?m)^Uid:\\s+(\\d+)");
    private static final long CPU_PERIOD_US = 100_000;
    static final Duration KILL_DEADLINE = Duration.ofSeconds(10);

    private final Mechanism mechanism;
    /** Per controller (v1), or the one directory under "" (v2): where the groups are made. Empty for rlimits. */
    private final Map<String, Path> bases;
    /** Bases we made (so may remove when empty); a delegated base given by the administrator stays. */
    private final boolean ownBases;
    /** The uid the launcher runs as: RLIMIT_NPROC counts this user's processes. */
    private final long uid;
    /** Swap is counted with memory (v1 memory.memsw, v2 memory.swap.max). */
    private final boolean swapCounted;
    private final String explanation;
    final Object lock = new Object();

    SandboxLimits(Mechanism mechanism, Map<String, Path> bases, boolean ownBases, long uid, boolean swapCounted,
            String explanation) {
        this.mechanism = mechanism;
        this.bases = Collections.unmodifiableMap(new LinkedHashMap<>(bases));
        this.ownBases = ownBases;
        this.uid = uid;
        this.swapCounted = swapCounted;
        this.explanation = explanation;
    }

    /** What the probe reads from the system; a record so the choice can be followed in a test. */
    record Host(String mountinfo, String procSelfCgroup, long uid, Optional<String> v1Override) {
        static Host current() {
            String override = System.getProperty(V1_BASE_PROPERTY);
            if (override == null || override.isBlank()) {
                override = System.getenv(V1_BASE_ENV);
            }
            return new Host(CgroupFiles.readSmall(Path.of("/proc/self/mountinfo")).orElse(""), CgroupFiles.readSmall(Path.of("/proc/self/cgroup")).orElse(""),
                    currentUid(), Optional.ofNullable(override).filter(s -> !s.isBlank()).map(String::strip));
        }
    }

    /**
     * Chooses the mechanism for this machine, once; never throws for what it finds (an invalid {@code appName} is a
     * programming error). {@code appName} names the base group ({@code runnerdesk}); {@link #explanation()} says what
     * was found and why the mechanisms before it were not used.
     */
    static SandboxLimits probe(String appName) {
        Host host;
        try {
            host = Host.current();
        } catch (RuntimeException e) {
            return rlimits(currentUid(), "could not read /proc: " + e.getMessage());
        }
        return probe(appName, host);
    }

    /** As {@link #probe(String)}, with what the probe reads from the system given (tests follow the choice with it). */
    static SandboxLimits probe(String appName, Host host) {
        return SandboxLimitsProbe.probe(appName, host);
    }

    /** The rlimits mechanism for a launcher running as {@code uid}, whatever cgroups there are. */
    static SandboxLimits rlimits(long uid, String why) {
        String explanation = "rlimits" + (why.isBlank() ? "" : ": no usable cgroup (" + why + ")");
        return new SandboxLimits(Mechanism.RLIMITS, Map.of(), false, uid, false, explanation);
    }

    /** The same mechanism once its probe group worked: whether swap is counted, and the notes of the choice. */
    SandboxLimits tried(boolean swapCounted, String notes) {
        return new SandboxLimits(mechanism, bases, ownBases, uid, swapCounted, explanation + notes);
    }

    Mechanism mechanism() {
        return mechanism;
    }

    /** Where the groups are made: per controller (v1), or under "" (v2); empty for rlimits. */
    Map<String, Path> bases() {
        return bases;
    }

    /** What the probe found: the mechanism, where, and why the ones before it were not used. */
    String explanation() {
        return explanation;
    }

    /** The policy fields (ResourceLimits' field names) this mechanism does not hold here at all. */
    List<String> notEnforced() {
        if (mechanism != Mechanism.RLIMITS) {
            return List.of();
        }
        return uid == 0 ? List.of(FIELD_PROCESSES, FIELD_CPU) : List.of(FIELD_CPU);
    }

    /** For the runner's detail and the README: the mechanism, where, and each limit as it is enforced. */
    String describe(ResourceLimits l) {
        String memory = l.memoryMib() + " MiB memory" + (swapCounted ? " (swap included)" : " (swap not counted)");
        String cpu = "CPU " + l.cpuPercent() + "% of one core";
        return switch (mechanism) {
            // where the groups are is in the log (the probe's explanation); a person reading the detail needs the numbers
            case CGROUP_V2 -> "cgroup v2: " + l.maxProcesses() + " processes, " + memory + ", " + cpu;
            case CGROUP_V1 -> "cgroup v1: " + l.maxProcesses() + " processes, " + memory + ", " + cpu;
            case RLIMITS -> "rlimits: "
                    + (uid == 0 ? "processes not limited (RLIMIT_NPROC is not enforced for root, which the sandbox runs as)"
                    : l.maxProcesses() + " processes (RLIMIT_NPROC, counted in the sandbox's own user namespace)")
                    + ", " + l.memoryMib() + " MiB of data per process (RLIMIT_DATA: going over makes an allocation fail "
                    + "with an error, not an oom kill), CPU not limited (no cgroup)";
        };
    }

    /**
     * A group named {@code name} (letters, digits, '-', '_') with the limits set. A stale group of that name (left by
     * a crash) is emptied and replaced. For rlimits: a group that only carries the prlimit options.
     */
    Group create(String name, ResourceLimits l) throws RunnerException.Unavailable {
        requireName(name, "group name");
        if (mechanism == Mechanism.RLIMITS) {
            return new RlimitGroup(rlimitOptions(l));
        }
        synchronized (lock) {
            try {
                return mechanism == Mechanism.CGROUP_V2 ? createV2(name, l) : createV1(name, l);
            } catch (IOException | RuntimeException e) {
                throw new RunnerException.Unavailable("could not set up the sandbox's resource limits ("
                        + (mechanism == Mechanism.CGROUP_V2 ? "cgroup v2" : "cgroup v1") + "): " + reason(e), e);
            }
        }
    }

    // ---- rlimits ---------------------------------------------------------------------------------------------------

    /**
     * The launcher applies these after it made its own user namespace (see SandboxLauncher), so RLIMIT_NPROC
     * counts only the sandbox's processes, not what the user runs elsewhere. RLIMIT_DATA rather than RLIMIT_AS:
     * engines such as V8 reserve far more address space than they use, and a reservation is not data.
     */
    private static List<String> rlimitOptions(ResourceLimits l) {
        return List.of("--nproc=" + l.maxProcesses(), "--data=" + l.memoryBytes());
    }

    private record RlimitGroup(List<String> rlimitOptions) implements Group {
        @Override
        public List<String> joinCommands() {
            return List.of();
        }

        @Override
        public boolean oomKilled() {
            return false;
        }

        @Override
        public List<Path> directories() {
            return List.of();
        }

        @Override
        public void close() {
            // nothing to undo: the limits ended with the processes
        }
    }

    // ---- cgroup v2 -------------------------------------------------------------------------------------------------

    private Group createV2(String name, ResourceLimits l) throws IOException {
        Path base = bases.get("");
        Path dir = base.resolve(name);
        replaceStale(List.of(dir), true);
        CgroupGroup group = new CgroupGroup(this, List.of(dir), true);
        try {
            mkdirUnder(base, dir, true);
            group.created.add(dir);
            CgroupFiles.write(dir.resolve("pids.max"), Long.toString(l.maxProcesses()));
            CgroupFiles.write(dir.resolve("memory.max"), Long.toString(l.memoryBytes()));
            // no swap: swapping out does not dodge the memory limit
            CgroupFiles.writeIfPresent(dir.resolve("memory.swap.max"), "0");
            CgroupFiles.write(dir.resolve("cpu.max"), cpuQuotaUs(l) + " " + CPU_PERIOD_US);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
        return group;
    }

    // ---- cgroup v1 -------------------------------------------------------------------------------------------------

    private Group createV1(String name, ResourceLimits l) throws IOException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : bases.entrySet()) {
            dirs.put(e.getKey(), e.getValue().resolve(name));
        }
        // co-mounted controllers (pids and memory on one hierarchy) share a directory
        List<Path> distinct = List.copyOf(new LinkedHashSet<>(dirs.values()));
        replaceStale(distinct, false);
        CgroupGroup group = new CgroupGroup(this, distinct, false);
        try {
            for (Path dir : distinct) {
                mkdirUnder(dir.getParent(), dir, false);
                group.created.add(dir);
            }
            CgroupFiles.write(dirs.get("pids").resolve("pids.max"), Long.toString(l.maxProcesses()));
            Path memory = dirs.get("memory");
            // the OOM killer stays on: a sandbox over its memory is killed, not frozen waiting for memory
            CgroupFiles.write(memory.resolve("memory.oom_control"), "0");
            CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), Long.toString(l.memoryBytes()));
            if (Files.exists(memory.resolve("memory.memsw.limit_in_bytes"))) {
                // memory+swap no higher than memory: swapping out does not dodge the limit
                CgroupFiles.write(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(l.memoryBytes()));
            } else {
                CgroupFiles.writeIfPresent(memory.resolve("memory.swappiness"), "0");
            }
            Path cpu = dirs.get("cpu");
            CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
            CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(cpuQuotaUs(l)));
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
        return group;
    }

    // ---- both cgroup versions --------------------------------------------------------------------------------------

    /**
     * Makes the group's directory, and its base first where the base is ours. Another RunnerDesk closing its last
     * group can remove an empty base between the two steps: then once more.
     */
    private void mkdirUnder(Path base, Path dir, boolean v2) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (ownBases && Files.notExists(base)) {
                try {
                    Files.createDirectories(base);
                } catch (FileAlreadyExistsException e) {
                    // made meanwhile by another RunnerDesk
                }
            }
            if (v2) {
                CgroupFiles.write(base.resolve("cgroup.subtree_control"), "+memory +pids +cpu");
            }
            try {
                Files.createDirectory(dir);
                return;
            } catch (NoSuchFileException e) {
                if (attempt > 0 || !ownBases) {
                    throw e;
                }
            }
        }
    }

    private static long cpuQuotaUs(ResourceLimits l) {
        return CPU_PERIOD_US * l.cpuPercent() / 100;
    }

    /** A group of the same name left by a crash: kill what is in it and remove it. */
    private void replaceStale(List<Path> dirs, boolean v2) throws IOException {
        if (dirs.stream().noneMatch(Files::exists)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "replacing a stale sandbox cgroup: {0}", dirs);
        CgroupGroup stale = new CgroupGroup(this, dirs, v2);
        stale.created.addAll(dirs.stream().filter(Files::exists).toList());
        stale.close();
        for (Path dir : dirs) {
            if (Files.exists(dir)) {
                throw new IOException(dir + " is left by an earlier run and could not be removed");
            }
        }
    }

    void removeBasesIfEmpty() {
        if (!ownBases) {
            return;
        }
        for (Path base : new LinkedHashSet<>(bases.values())) {
            try {
                // rmdir: fails while other groups live under it, which is what we want
                Files.deleteIfExists(base);
            } catch (IOException e) {
                // still in use, or not ours to remove
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static long currentUid() {
        Optional<String> status = CgroupFiles.readSmall(Path.of("/proc/self/status"));
        if (status.isPresent()) {
            Matcher m = STATUS_UID.matcher(status.get());
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }

    /** An I/O failure in words: the JDK's file exceptions carry only the path as their message. */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
        }
        return String.valueOf(e.getMessage());
    }

    static void requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 64 letters, digits, '-' or '_'");
        }
    }
}
