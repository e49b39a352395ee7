package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.RunnerException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts bubblewrap the way a sandbox needs it, from an empty environment: {@code nsenter} joins the user and
 * mount namespace of the runner's {@link WorkspaceHolder} (where its size-limited workspace is mounted) and
 * {@code unshare} makes a private mount namespace under it, in which a small /bin/sh script, before it becomes
 * bubblewrap,
 * <ul>
 *   <li>remounts the workspace nosuid, nodev and (for a restricted profile) noexec,</li>
 *   <li>mounts a size-limited tmpfs for /tmp and another for /dev/shm (same flags),</li>
 *   <li>joins the runner's cgroups and applies rlimits, as {@link SandboxLimits} decided,</li>
 *   <li>opens the seccomp filter on descriptor {@value #SECCOMP_FD}.</li>
 * </ul>
 * Bubblewrap copies these mounts, with their flags, into the sandbox; a mount's flags cannot be cleared from
 * inside. The script only ever sees paths RunnerDesk chose, passed as arguments, never the agent's input. None of
 * these programs forks: the process Java starts becomes bubblewrap ({@link EgressProxy} relies on it).
 */
final class SandboxLauncher {
    static final int SECCOMP_FD = 3;
    private static final long MIB = 1024L * 1024;

    private final Path nsenter;
    private final Path unshare;
    private final Path mount;
    private final Path sh;

    private SandboxLauncher(Path nsenter, Path unshare, Path mount, Path sh) {
        this.nsenter = nsenter;
        this.unshare = unshare;
        this.mount = mount;
        this.sh = sh;
    }

    /** The launcher, or why there is none (util-linux missing). */
    static SandboxLauncher find() {
        Path nsenter = Bubblewrap.findProgram("nsenter").orElseThrow(() -> missing("nsenter"));
        Path unshare = Bubblewrap.findProgram("unshare").orElseThrow(() -> missing("unshare"));
        Path mount = Bubblewrap.findProgram("mount").orElseThrow(() -> missing("mount"));
        Path sh = Bubblewrap.findProgram("sh").orElseThrow(() -> missing("sh"));
        return new SandboxLauncher(nsenter, unshare, mount, sh);
    }

    private static RunnerException.Unavailable missing(String program) {
        return new RunnerException.Unavailable(program + " is not installed: the local sandbox needs it (util-linux) to"
                + " prepare the sandbox's mounts; install util-linux and restart RunnerDesk");
    }

    /**
     * The whole command line: {@code nsenter … unshare … sh -c SCRIPT} then bubblewrap's. {@code holder} is the
     * pid of the runner's workspace holder; {@code seccompFilter} the file bubblewrap reads its filter from (null for none).
     */
    List<String> command(Bubblewrap.SandboxDirs dirs, long holder, boolean restricted, ResourceLimits limits,
                         SandboxLimits.Group group, Path seccompFilter, List<String> bwrapCommand) {
        String flags = restricted ? "nosuid,nodev,noexec" : "nosuid,nodev";
        StringBuilder script = new StringBuilder("set -eu\n");
        script.append("m=\"$1\"; ws=\"$2\"; tmp=\"$3\"; shm=\"$4\"; size=\"$5\"; flags=\"$6\"; filter=\"$7\"; shift 7\n");
        script.append("\"$m\" --bind \"$ws\" \"$ws\"\n");
        script.append("\"$m\" -o \"remount,bind,$flags\" \"$ws\"\n");
        script.append("\"$m\" -t tmpfs -o \"size=$size,mode=1777,$flags\" tmpfs \"$tmp\"\n");
        script.append("\"$m\" -t tmpfs -o \"size=$size,mode=1777,$flags\" tmpfs \"$shm\"\n");
        for (String line : group.joinCommands()) {
            script.append(line).append('\n');
        }
        // the shell exports PWD, a host path; nothing of the host's may reach the sandbox's processes
        script.append("unset PWD\n");
        script.append("if [ -n \"$filter\" ]; then exec ").append(SECCOMP_FD).append("< \"$filter\"; fi\n");
        script.append("exec \"$@\"\n");

        // --preserve-credentials: an ordinary user may not setgroups in the holder's namespace, nor needs to
        List<String> c = new ArrayList<>(List.of(nsenter.toString(), "--target", Long.toString(holder), "--user", "--mount",
                "--preserve-credentials", "--", unshare.toString(), "--mount", "--propagation", "private", "--",
                sh.toString(), "-c", script.toString(), "runnerdesk-sandbox",
                mount.toString(), dirs.workspace().toString(), dirs.tmp().toString(), dirs.shm().toString(),
                Long.toString(limits.tmpBytes() / MIB) + "m", flags, seccompFilter == null ? "" : seccompFilter.toString()));
        List<String> rlimits = group.rlimitOptions();
        if (!rlimits.isEmpty()) {
            c.add(Bubblewrap.findProgram("prlimit").orElseThrow(() -> missing("prlimit")).toString());
            c.addAll(rlimits);
            c.add("--");
        }
        c.addAll(bwrapCommand);
        return c;
    }
}
