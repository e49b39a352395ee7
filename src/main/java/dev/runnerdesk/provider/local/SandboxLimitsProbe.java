package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.provider.local.SandboxLimits.Group;
import dev.runnerdesk.provider.local.SandboxLimits.Host;
import dev.runnerdesk.provider.local.SandboxLimits.Mechanism;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chooses how this machine holds a sandbox to its limits ({@link SandboxLimits}' order: cgroup v2, cgroup v1,
 * rlimits), trying each for real with a probe group before it is chosen, and noting why the ones before it were not.
 */
final class SandboxLimitsProbe {
    // the choice is logged as the limits' own, where it always was
    private static final System.Logger LOG = System.getLogger(SandboxLimits.class.getName());
    private static final Pattern CGROUP_PATH = Pattern.compile("(/[A-Za-z0-9_.@:+-]{1,128}){1,16}");
    private static final List<String> CONTROLLERS = List.of("pids", "memory", "cpu");
    private static final ResourceLimits PROBE_LIMITS = new ResourceLimits(64, 64, 1, 1, 100);

    private SandboxLimitsProbe() {
    }

    static SandboxLimits probe(String appName, Host host) {
        SandboxLimits.requireName(appName, "appName");
        List<String> notes = new ArrayList<>();
        SandboxLimits chosen;
        try {
            List<CgroupFiles.Mount> mounts = CgroupFiles.Mount.parseAll(host.mountinfo());
            chosen = tryV2(appName, host, mounts, notes)
                    .or(() -> tryV1(appName, host, mounts, notes))
                    .orElse(null);
        } catch (RuntimeException e) {
            notes.add("the probe failed: " + e);
            chosen = null;
        }
        if (chosen == null) {
            chosen = SandboxLimits.rlimits(host.uid(), String.join("; ", notes));
        }
        LOG.log(System.Logger.Level.INFO, "sandbox resource limits: {0} ({1})", chosen.mechanism(), chosen.explanation());
        return chosen;
    }

    private static Optional<SandboxLimits> tryV2(String appName, Host host, List<CgroupFiles.Mount> mounts, List<String> notes) {
        Optional<CgroupFiles.Mount> mount = mounts.stream().filter(m -> m.fstype().equals("cgroup2")).findFirst();
        Optional<String> path = CgroupFiles.ownCgroupPath(host.procSelfCgroup(), "");
        if (mount.isEmpty() || path.isEmpty()) {
            notes.add("no cgroup v2 hierarchy");
            return Optional.empty();
        }
        Path own = mount.get().dirOf(path.get());
        Optional<SandboxLimits> mine = tryV2At(appName, own, host, notes);
        if (mine.isPresent() || host.uid() == 0) {
            return mine;
        }
        if (!CgroupFiles.words(CgroupFiles.readSmall(mount.get().point().resolve("cgroup.controllers")).orElse("")).containsAll(CONTROLLERS)) {
            return Optional.empty(); // a hybrid machine: the controllers are bound to v1
        }
        // a desktop: RunnerDesk's own cgroup is an app's scope, not delegated; ask the user's systemd for one that is
        Optional<SystemdScope> scope = SystemdScope.obtain(mount.get(), appName, notes);
        Optional<SandboxLimits> delegated = scope.flatMap(s -> tryV2At(appName, s.dir(), host, notes));
        if (delegated.isEmpty()) {
            scope.ifPresent(SystemdScope::close);
        }
        return delegated;
    }

    /** cgroup v2 with {@code own} as the parent of RunnerDesk's groups, if it can hand them memory, pids and cpu. */
    private static Optional<SandboxLimits> tryV2At(String appName, Path own, Host host, List<String> notes) {
        Set<String> available = CgroupFiles.words(CgroupFiles.readSmall(own.resolve("cgroup.controllers")).orElse(""));
        List<String> missing = CONTROLLERS.stream().filter(c -> !available.contains(c)).toList();
        if (!missing.isEmpty()) {
            notes.add("cgroup v2 at " + own + " lacks " + String.join(", ", missing) + (available.isEmpty() ? "" : " (has " + String.join(" ", available) + ")"));
            return Optional.empty();
        }
        Set<String> enabled = CgroupFiles.words(CgroupFiles.readSmall(own.resolve("cgroup.subtree_control")).orElse(""));
        if (!enabled.containsAll(CONTROLLERS)) {
            try {
                CgroupFiles.write(own.resolve("cgroup.subtree_control"), "+memory +pids +cpu");
            } catch (IOException e) {
                notes.add("cgroup v2: cannot give children of " + own + " the memory, pids and cpu controllers without moving "
                        + "RunnerDesk out of it (" + SandboxLimits.reason(e) + ")");
                return Optional.empty();
            }
        }
        if (!Files.isWritable(own.resolve("cgroup.procs"))) {
            notes.add("cgroup v2: " + own + "/cgroup.procs is not writable, so a sandbox could not move into a child");
            return Optional.empty();
        }
        Path base = own.resolve(appName);
        SandboxLimits v2 = new SandboxLimits(Mechanism.CGROUP_V2, Map.of("", base), true, host.uid(), false,
                "cgroup v2 under " + base);
        return tryOut(v2, notes);
    }

    private static Optional<SandboxLimits> tryV1(String appName, Host host, List<CgroupFiles.Mount> mounts, List<String> notes) {
        Optional<String> override = host.v1Override();
        if (override.isPresent() && (!CGROUP_PATH.matcher(override.get()).matches() || override.get().matches(".*/\\.{1,2}(/.*)?"))) {
            notes.add(SandboxLimits.V1_BASE_ENV + " must be a cgroup path such as /runnerdesk, got \"" + abbreviate(override.get()) + "\"");
            return Optional.empty();
        }
        Map<String, Path> bases = new LinkedHashMap<>();
        for (String controller : CONTROLLERS) {
            Optional<CgroupFiles.Mount> mount = mounts.stream().filter(m -> m.fstype().equals("cgroup") && m.superOptions().contains(controller)).findFirst();
            if (mount.isEmpty()) {
                notes.add("no cgroup v1 " + controller + " hierarchy");
                return Optional.empty();
            }
            Path base;
            if (override.isPresent()) {
                base = mount.get().point().resolve(override.get().substring(1));
            } else {
                Optional<String> own = CgroupFiles.ownCgroupPath(host.procSelfCgroup(), controller);
                if (own.isEmpty()) {
                    notes.add("cgroup v1: /proc/self/cgroup names no " + controller + " group");
                    return Optional.empty();
                }
                base = mount.get().dirOf(own.get()).resolve(appName);
            }
            bases.put(controller, base);
        }
        List<String> where = new ArrayList<>();
        bases.forEach((c, b) -> where.add(b.toString()));
        SandboxLimits v1 = new SandboxLimits(Mechanism.CGROUP_V1, bases, override.isEmpty(), host.uid(), false,
                "cgroup v1 under " + String.join(", ", where) + (override.isPresent() ? " (from " + SandboxLimits.V1_BASE_ENV + ")" : ""));
        return tryOut(v1, notes);
    }

    /** A mechanism is chosen only once a probe group with sample limits could be made and removed. */
    private static Optional<SandboxLimits> tryOut(SandboxLimits candidate, List<String> notes) {
        String probe = "probe-" + ProcessHandle.current().pid();
        boolean swap;
        try (Group g = candidate.create(probe, PROBE_LIMITS)) {
            String file = candidate.mechanism() == Mechanism.CGROUP_V2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";
            swap = g.directories().stream().anyMatch(d -> Files.exists(d.resolve(file)));
        } catch (RuntimeException e) {
            notes.add(candidate.explanation() + ": " + e.getMessage());
            return Optional.empty();
        }
        String why = notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
        return Optional.of(candidate.tried(swap, why));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
