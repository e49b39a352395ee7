package dev.runnerdesk.provider.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** One sandbox's cgroup (v2: one directory; v1: one per controller): join lines for the launcher, OOM, kill and remove. */
final class CgroupGroup implements SandboxLimits.Group {
    private static final System.Logger LOG = System.getLogger(CgroupGroup.class.getName());

    private final SandboxLimits owner;
    private final List<Path> dirs;
    private final boolean v2;
    /** The directories this group made, so close() removes nothing else. */
    final List<Path> created = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean oomKilledAtClose;

    CgroupGroup(SandboxLimits owner, List<Path> dirs, boolean v2) {
        this.owner = owner;
        this.dirs = List.copyOf(dirs);
        this.v2 = v2;
    }

    @Override
    public List<String> joinCommands() {
        List<String> lines = new ArrayList<>();
        for (Path dir : dirs) {
            String procs = dir.resolve("cgroup.procs").toString();
            lines.add("echo $$ > " + CgroupFiles.shellQuote(procs) + " || { echo " + CgroupFiles.shellQuote("runnerdesk: could not enter " + procs)
                    + " >&2; exit 125; }");
        }
        return lines;
    }

    @Override
    public List<String> rlimitOptions() {
        return List.of();
    }

    @Override
    public List<Path> directories() {
        return dirs;
    }

    @Override
    public boolean oomKilled() {
        if (closed.get()) {
            return oomKilledAtClose;
        }
        return v2 ? CgroupFiles.counter(dirs.get(0).resolve("memory.events"), "oom_kill").orElse(0) > 0 : v1OomKilled();
    }

    private boolean v1OomKilled() {
        for (Path dir : dirs) {
            OptionalLong kills = CgroupFiles.counter(dir.resolve("memory.oom_control"), "oom_kill");
            if (kills.isPresent()) {
                return kills.getAsLong() > 0;
            }
            if (Files.exists(dir.resolve("memory.failcnt"))) {
                // kernels before 4.13 do not count kills: hitting the limit under the OOM killer is the best sign
                return CgroupFiles.counter(dir.resolve("memory.oom_control"), "under_oom").orElse(0) > 0
                        || CgroupFiles.readSmall(dir.resolve("memory.failcnt")).map(String::strip).filter(s -> !s.equals("0")).isPresent();
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        boolean oom = oomKilled();
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        oomKilledAtClose = oom;
        synchronized (owner.lock) {
            killAll();
            long deadline = System.nanoTime() + SandboxLimits.KILL_DEADLINE.toNanos();
            List<Path> left = new ArrayList<>(created);
            // children first (reverse creation order), retrying while the killed processes finish exiting
            while (!left.isEmpty()) {
                for (int i = left.size() - 1; i >= 0; i--) {
                    try {
                        Files.deleteIfExists(left.get(i));
                        left.remove(i);
                    } catch (IOException e) {
                        // busy until the last process has left
                    }
                }
                if (left.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                killAll();
                CgroupFiles.pause();
            }
            if (!left.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "could not remove sandbox cgroups {0}", left);
            }
            owner.removeBasesIfEmpty();
        }
    }

    /** SIGKILL to every process in the group until it is empty (new ones can appear while we kill). */
    private void killAll() {
        if (v2 && Files.exists(dirs.get(0).resolve("cgroup.kill"))) {
            try {
                CgroupFiles.write(dirs.get(0).resolve("cgroup.kill"), "1");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cgroup.kill failed: {0}", e.getMessage());
            }
        }
        long deadline = System.nanoTime() + SandboxLimits.KILL_DEADLINE.toNanos();
        while (true) {
            Set<Long> pids = new HashSet<>();
            for (Path dir : dirs) {
                CgroupFiles.readSmall(dir.resolve("cgroup.procs")).ifPresent(s -> s.lines().map(String::strip).filter(x -> x.matches("\\d{1,10}"))
                        .forEach(x -> pids.add(Long.parseLong(x))));
            }
            pids.remove(ProcessHandle.current().pid());
            if (pids.isEmpty() || System.nanoTime() > deadline) {
                return;
            }
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            CgroupFiles.pause();
        }
    }
}
