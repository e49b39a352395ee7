package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.ResourceLimits;

import java.util.List;

/** Interim: rlimits only, until the cgroup implementation lands (same interface). */
final class SandboxLimits {
    enum Mechanism { CGROUP_V2, CGROUP_V1, RLIMITS }

    static SandboxLimits probe(String appName) {
        return new SandboxLimits();
    }

    Mechanism mechanism() {
        return Mechanism.RLIMITS;
    }

    String describe(ResourceLimits l) {
        return "rlimits: " + l.maxProcesses() + " processes (RLIMIT_NPROC), " + l.memoryMib() + " MiB address space (RLIMIT_AS)";
    }

    Group create(String name, ResourceLimits l) {
        return new Group() {
            @Override
            public List<String> joinCommands() {
                return List.of();
            }

            @Override
            public List<String> rlimitOptions() {
                return List.of("--nproc=" + l.maxProcesses(), "--as=" + l.memoryBytes());
            }

            @Override
            public boolean oomKilled() {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }

    interface Group extends AutoCloseable {
        List<String> joinCommands();

        List<String> rlimitOptions();

        boolean oomKilled();

        @Override
        void close();
    }
}
