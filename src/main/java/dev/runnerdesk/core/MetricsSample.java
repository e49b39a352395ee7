package dev.runnerdesk.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What a runner's sandbox used at one moment. A figure the provider cannot tell is {@link #UNKNOWN} (-1); a limit
 * that is not set is {@link #UNKNOWN} too. {@code cpuPercent} is of one core (200 = two cores busy). {@code source}
 * says where the figures come from, for the person reading them: {@code cgroup} (the local sandbox's control group),
 * {@code proc} (its processes' /proc entries, where there is no cgroup), {@code e2b} (E2B's metrics API) or
 * {@code synthetic} (the fake provider's made-up numbers).
 */
public record MetricsSample(Instant at, double cpuPercent, long memoryBytes, long memoryLimitBytes, long diskBytes,
                            long diskLimitBytes, int processes, long networkRxBytes, long networkTxBytes, String source) {
    public static final long UNKNOWN = -1;
    /** How often samples are taken while someone looks at a runner. */
    public static final java.time.Duration INTERVAL = java.time.Duration.ofSeconds(5);
    /** How far back a runner's samples are kept. */
    public static final java.time.Duration KEPT = java.time.Duration.ofMinutes(15);

    public MetricsSample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
    }
}
