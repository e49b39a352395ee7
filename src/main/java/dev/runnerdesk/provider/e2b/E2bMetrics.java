package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.core.MetricsSample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * E2B sandboxes' use, from the control plane's {@code GET /sandboxes/{id}/metrics}, which E2B records every 5 s. Only
 * the last minute is asked for and the newest entry taken: {@code cpuUsedPct} is of the whole sandbox (all its
 * {@code cpuCount} cores, as envd's {@code gopsutil} measures it), so it is multiplied by {@code cpuCount} to be of
 * one core as {@link MetricsSample} says (50 % of 2 cores = 100); {@code memUsed}/{@code memTotal} and
 * {@code diskUsed}/{@code diskTotal} are the sandbox's own (the VM's memory and root disk, which the template sets —
 * the profile's limits are not E2B's). Processes and network are not said ({@link MetricsSample#UNKNOWN}). An answer
 * is kept for {@link #FRESH}, so several people looking at a runner (or a look right after another) ask E2B once per
 * its interval.
 */
final class E2bMetrics {
    /** How long an answer is reused: under E2B's 5-second interval, so each new entry is still seen. */
    static final Duration FRESH = Duration.ofSeconds(4);
    /** How far back the metrics are asked for: a few of E2B's entries, so a late one is still found. */
    static final Duration LOOK_BACK = Duration.ofMinutes(1);
    static final String SOURCE = "e2b";

    private record Kept(Instant asked, Optional<MetricsSample> sample) {
    }

    private final Clock clock;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    E2bMetrics(Clock clock) {
        this.clock = clock;
    }

    /** The sandbox's newest sample, from {@code api} unless one was fetched less than {@link #FRESH} ago. */
    Optional<MetricsSample> sample(String sandboxId, Supplier<E2bApi> api) {
        Instant now = clock.instant();
        Kept k = kept.get(sandboxId);
        if (k != null && k.asked().plus(FRESH).isAfter(now)) {
            return k.sample();
        }
        Optional<MetricsSample> sample = newest(api.get().metrics(sandboxId, now.minus(LOOK_BACK).getEpochSecond()));
        kept.put(sandboxId, new Kept(now, sample));
        return sample;
    }

    void forget(String sandboxId) {
        kept.remove(sandboxId);
    }

    /** The newest entry of an answer as a sample; empty when there is none yet (a new sandbox) or it is not an array. */
    static Optional<MetricsSample> newest(JsonNode answer) {
        JsonNode newest = null;
        long newestAt = Long.MIN_VALUE;
        if (answer != null && answer.isArray()) {
            for (JsonNode m : answer) {
                long at = at(m);
                if (newest == null || at >= newestAt) {
                    newest = m;
                    newestAt = at;
                }
            }
        }
        if (newest == null) {
            return Optional.empty();
        }
        int cores = newest.path("cpuCount").asInt(0);
        double pct = newest.path("cpuUsedPct").asDouble(-1);
        double cpu = cores > 0 && pct >= 0 ? pct * cores : MetricsSample.UNKNOWN;
        Instant at = newestAt == Long.MIN_VALUE ? Instant.EPOCH : Instant.ofEpochSecond(newestAt);
        return Optional.of(new MetricsSample(at, cpu, bytes(newest, "memUsed"), bytes(newest, "memTotal"),
                bytes(newest, "diskUsed"), bytes(newest, "diskTotal"), (int) MetricsSample.UNKNOWN, MetricsSample.UNKNOWN,
                MetricsSample.UNKNOWN, SOURCE));
    }

    private static long at(JsonNode m) {
        if (m.hasNonNull("timestampUnix")) {
            return m.get("timestampUnix").asLong();
        }
        try {
            return Instant.parse(m.path("timestamp").asText("")).getEpochSecond();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static long bytes(JsonNode m, String field) {
        return m.hasNonNull(field) && m.get(field).asLong(-1) >= 0 ? m.get(field).asLong() : MetricsSample.UNKNOWN;
    }
}
