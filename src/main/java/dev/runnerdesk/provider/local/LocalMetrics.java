package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.ProfilePolicy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a local runner uses, read from the kernel's own counters, cheaply (a few small files per command running):
 * <ul>
 *   <li>With cgroups, from each of the runner's groups (one per command or terminal, named after the runner):
 *       memory in use without the reclaimable file cache ({@code memory.current} or {@code memory.usage_in_bytes},
 *       less the inactive file pages), the processes in {@code cgroup.procs}, CPU time from {@code cpu.stat} (v2)
 *       or, in v1, where only the cpu controller (not cpuacct) is used, from those processes' /proc entries.</li>
 *   <li>Without (rlimits), from the /proc entries of the processes RunnerDesk started for the runner and theirs.</li>
 * </ul>
 * CPU % is the CPU time used between two samples over the time between them (100 = one core busy); the first
 * sample of a runner has none. Processes count what runs inside the sandbox (bubblewrap's own process outside it is
 * left out). Disk is the workspace's file system: its use and size. Network bytes are known where the sandbox has a
 * network of its own (no network: the counters of its interfaces but loopback); with this computer's network, or
 * through the egress proxy (which the sandbox reaches over its loopback), they are not told apart, so unknown.
 */
final class LocalMetrics {
    private static final long TICK_NANOS = 10_000_000; // USER_HZ is 100 on Linux
    private static final long PAGE = 4096;

    /** The CPU time of each of a runner's groups (or "proc") at the last sample. */
    private record Previous(long atNanos, Map<String, Long> cpuNanos) {
    }

    private final Clock clock;
    private final Map<String, Previous> previous = new ConcurrentHashMap<>();
    private final String ownPidNamespace = link(Path.of("/proc/self/ns/pid")).orElse("");
    private final String ownNetNamespace = link(Path.of("/proc/self/ns/net")).orElse("");

    LocalMetrics(Clock clock) {
        this.clock = clock;
    }

    /**
     * A sample of runner {@code ref}: {@code limits} as probed, {@code started} the pids RunnerDesk started for it
     * (used without cgroups), {@code disk} its workspace's use and size ({-1, -1} when unknown).
     */
    MetricsSample sample(String ref, ProfilePolicy policy, SandboxLimits limits, List<Long> started, long[] disk) {
        long now = System.nanoTime();
        Map<String, Long> cpu = new HashMap<>();
        Set<Long> pids = new LinkedHashSet<>();
        long memory = 0;
        String source;
        if (limits.mechanism() == SandboxLimits.Mechanism.RLIMITS) {
            source = "proc";
            for (long pid : started) {
                pids.add(pid);
                ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
            }
            long ticks = 0;
            for (long pid : pids) {
                ticks += cpuTicks(pid);
                memory += residentBytes(pid);
            }
            cpu.put("proc", ticks * TICK_NANOS);
        } else {
            source = "cgroup";
            boolean v2 = limits.mechanism() == SandboxLimits.Mechanism.CGROUP_V2;
            Map<String, Path> bases = limits.bases();
            for (String group : groups(ref, bases.get(v2 ? "" : "memory"))) {
                Path memoryDir = bases.get(v2 ? "" : "memory").resolve(group);
                Path procsDir = bases.get(v2 ? "" : "pids").resolve(group);
                Set<Long> inGroup = procs(procsDir);
                pids.addAll(inGroup);
                memory += memoryUsed(memoryDir, v2);
                long used;
                if (v2) {
                    used = CgroupFiles.counter(memoryDir.resolve("cpu.stat"), "usage_usec").orElse(0) * 1000;
                } else {
                    used = inGroup.stream().mapToLong(LocalMetrics::cpuTicks).sum() * TICK_NANOS;
                }
                cpu.put(group, used);
            }
        }
        List<Long> inside = pids.stream().filter(this::insideSandbox).toList();
        Previous before = previous.put(ref, new Previous(now, cpu));
        double cpuPercent = MetricsSample.UNKNOWN;
        if (before != null && now > before.atNanos()) {
            long used = 0;
            for (Map.Entry<String, Long> e : cpu.entrySet()) {
                // a group first seen now began after the last sample: all its time is in this interval
                used += Math.max(0, e.getValue() - before.cpuNanos().getOrDefault(e.getKey(), 0L));
            }
            cpuPercent = used * 100.0 / (now - before.atNanos());
        }
        long[] network = network(policy, inside);
        return new MetricsSample(clock.instant(), cpuPercent, memory, policy.limits().memoryBytes(), disk[0], disk[1],
                inside.size(), network[0], network[1], source);
    }

    /** Forgets a runner that ended. */
    void forget(String ref) {
        previous.remove(ref);
    }

    /** The runner's groups under {@code base}: its commands' and terminals' ("ref-…"). */
    private static List<String> groups(String ref, Path base) {
        List<String> found = new ArrayList<>();
        if (base == null) {
            return found;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, ref + "-*")) {
            for (Path dir : dirs) {
                found.add(dir.getFileName().toString());
            }
        } catch (IOException e) {
            // no groups now (the base is made with the first one)
        }
        return found;
    }

    private static Set<Long> procs(Path dir) {
        Set<Long> pids = new HashSet<>();
        CgroupFiles.readSmall(dir.resolve("cgroup.procs")).ifPresent(s -> s.lines().map(String::strip)
                .filter(x -> x.matches("\\d{1,10}")).forEach(x -> pids.add(Long.parseLong(x))));
        return pids;
    }

    /** Memory in use less the page cache the kernel may take back at once, as `docker stats` counts it. */
    private static long memoryUsed(Path dir, boolean v2) {
        Optional<String> usage = CgroupFiles.readSmall(dir.resolve(v2 ? "memory.current" : "memory.usage_in_bytes"));
        long used = usage.map(String::strip).filter(s -> s.matches("\\d{1,19}")).map(Long::parseLong).orElse(0L);
        long inactive = CgroupFiles.counter(dir.resolve("memory.stat"), v2 ? "inactive_file" : "total_inactive_file").orElse(0);
        return Math.max(0, used - inactive);
    }

    /** Whether {@code pid} runs inside a sandbox (another pid namespace than RunnerDesk's), not bubblewrap outside it. */
    private boolean insideSandbox(long pid) {
        Optional<String> ns = link(Path.of("/proc", Long.toString(pid), "ns", "pid"));
        return ns.isPresent() && !ns.get().equals(ownPidNamespace);
    }

    /** utime + stime + cutime + cstime: its own CPU time and that of the children it has reaped. */
    private static long cpuTicks(long pid) {
        return statFields(pid).map(f -> Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                + Long.parseLong(f[14])).orElse(0L);
    }

    private static long residentBytes(long pid) {
        return CgroupFiles.readSmall(Path.of("/proc", Long.toString(pid), "statm")).map(s -> s.strip().split(" "))
                .filter(f -> f.length > 1).map(f -> Long.parseLong(f[1]) * PAGE).orElse(0L);
    }

    /** The fields of /proc/PID/stat after the command's name: [0] is the state (field 3). */
    private static Optional<String[]> statFields(long pid) {
        return CgroupFiles.readSmall(Path.of("/proc", Long.toString(pid), "stat")).map(s -> s.substring(s.lastIndexOf(')') + 2)
                .trim().split(" ")).filter(f -> f.length > 14 && f[11].matches("\\d+") && f[14].matches("-?\\d+"));
    }

    /** Bytes received and sent by the sandbox's own networks (each counted once), or unknown. */
    private long[] network(ProfilePolicy policy, List<Long> inside) {
        long[] unknown = {MetricsSample.UNKNOWN, MetricsSample.UNKNOWN};
        if (policy.networkMode() != NetworkMode.NONE) {
            return unknown;
        }
        long rx = 0;
        long tx = 0;
        Set<String> seen = new HashSet<>();
        for (long pid : inside) {
            Optional<String> ns = link(Path.of("/proc", Long.toString(pid), "ns", "net"));
            if (ns.isEmpty() || ns.get().equals(ownNetNamespace) || !seen.add(ns.get())) {
                continue;
            }
            for (long[] counters : interfaces(pid)) {
                rx += counters[0];
                tx += counters[1];
            }
        }
        return new long[]{rx, tx};
    }

    /** The received and sent bytes of each interface but loopback in the network namespace of {@code pid}. */
    private static List<long[]> interfaces(long pid) {
        Function<String, long[]> parse = line -> {
            String[] f = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
            return new long[]{Long.parseLong(f[0]), Long.parseLong(f[8])};
        };
        return CgroupFiles.readSmall(Path.of("/proc", Long.toString(pid), "net", "dev")).map(s -> s.lines()
                .filter(l -> l.contains(":") && !l.strip().startsWith("lo:")).map(parse).toList()).orElse(List.of());
    }

    private static Optional<String> link(Path path) {
        try {
            return Optional.of(Files.readSymbolicLink(path).toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
