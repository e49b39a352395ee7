package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ResourceLimits;

/** How a local sandbox of a profile is confined and limited on this machine, as the runner's detail shows it. */
final class LocalIsolation {
    private LocalIsolation() {
    }

    /** A line per concern: programs, network, kernel, limits (as {@code limits} enforces them) and disk. */
    static String describe(ProfilePolicy policy, SandboxLimits limits) {
        String programs = policy.allowsEveryCommand() ? "every program of this computer (read-only)"
                : "only the profile's, with their libraries; nothing written inside can run (noexec)";
        String network = switch (policy.networkMode()) {
            case NONE -> "none";
            case ALLOWLIST -> "only the egress allowlist, through a proxy";
            case FULL -> "this computer's network";
        };
        String kernel = "seccomp: no new namespaces, setuid bits, ptrace" + (policy.allowsEveryCommand() ? "" : ", memfd")
                + (policy.networkMode() == NetworkMode.FULL ? ", UNIX sockets" : "");
        ResourceLimits l = policy.limits();
        return String.join("\n",
                "Programs: " + programs,
                "Network: " + network,
                "Kernel: " + kernel,
                "Limits: " + limits.describe(l),
                "Disk: workspace " + workspace(l.diskMib()) + "; /tmp and /dev/shm " + l.tmpMib()
                        + " MiB each — in memory until the runner ends");
    }

    private static String workspace(int diskMib) {
        int size = WorkspaceHolder.sizeMib(diskMib);
        return size + " MiB" + (size < diskMib ? " (of " + diskMib + ": half this computer's memory and swap)" : "")
                + ", " + WorkspaceHolder.inodes(size) + " files";
    }
}
