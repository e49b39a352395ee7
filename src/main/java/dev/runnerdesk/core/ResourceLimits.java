package dev.runnerdesk.core;

/**
 * What one runner's sandbox may use: processes, memory, disk (its workspace), /tmp, and a CPU share in
 * percent of one core. A provider enforces them as its platform allows and says how (the local sandbox: cgroups
 * where it may create them, else rlimits; tmpfs sizes for /tmp).
 */
public record ResourceLimits(int maxProcesses, int memoryMib, int diskMib, int tmpMib, int cpuPercent) {
    public static final LimitRange PROCESSES = new LimitRange("max_processes", 8, 65_536, "processes");
    public static final LimitRange MEMORY = new LimitRange("memory_mib", 32, 1_048_576, "MiB");
    public static final LimitRange DISK = new LimitRange("disk_mib", 1, 16_777_216, "MiB");
    public static final LimitRange TMP = new LimitRange("tmp_mib", 1, 1_048_576, "MiB");
    public static final LimitRange CPU = new LimitRange("cpu_percent", 5, 25_600, "% of one core");

    /** The limits of a profile saved before limits existed. */
    public static final ResourceLimits DEFAULT = new ResourceLimits(256, 1024, 2048, 512, 100);

    /** Throws {@link RunnerException.InvalidRequest} naming the first field out of range ({@code prefix} leads each name). */
    public void validate(String prefix) {
        PROCESSES.check(prefix, maxProcesses);
        MEMORY.check(prefix, memoryMib);
        DISK.check(prefix, diskMib);
        TMP.check(prefix, tmpMib);
        CPU.check(prefix, cpuPercent);
    }

    public long memoryBytes() {
        return memoryMib * 1024L * 1024;
    }

    public long diskBytes() {
        return diskMib * 1024L * 1024;
    }

    public long tmpBytes() {
        return tmpMib * 1024L * 1024;
    }
}
