package dev.runnerdesk.embedded;

import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.store.StoredRunner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the sandboxes of the runners someone looks at: each runner whose metrics were asked for in the last
 * {@link #WATCHED_FOR} is sampled every {@link MetricsSample#INTERVAL} on one background thread (started with the first
 * question), so nothing is sampled while nobody looks. Each runner keeps {@link MetricsSample#KEPT} of samples in a
 * bounded ring; a runner that ended, or whose newest sample is older than that, is dropped. Samples carry the
 * runtime's time, so they line up with its events whatever the provider's clock says.
 */
final class RunnerMetricsSampler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RunnerMetricsSampler.class.getName());
    /** How long one question keeps a runner sampled. */
    static final Duration WATCHED_FOR = Duration.ofMinutes(1);
    /** Samples one runner keeps: {@link MetricsSample#KEPT} of them, and one more. */
    static final int RING = (int) (MetricsSample.KEPT.toMillis() / MetricsSample.INTERVAL.toMillis()) + 1;

    private static final class Watched {
        private final ArrayDeque<MetricsSample> ring = new ArrayDeque<>();
        volatile LiveSandbox sandbox;
        volatile Instant lastAsked;
        volatile boolean warned;
    }

    private final EmbeddedRuntime rt;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    RunnerMetricsSampler(EmbeddedRuntime rt) {
        this.rt = rt;
    }

    /** The samples after {@code since}, oldest first; keeps the runner sampled, and samples it now if it has none. */
    List<MetricsSample> samples(LiveSandbox sandbox, Instant since) {
        Watched w = watched.computeIfAbsent(sandbox.runnerId(), id -> new Watched());
        w.sandbox = sandbox; // its policy as stored now: a changed limit shows from the next sample
        w.lastAsked = rt.now();
        boolean empty;
        synchronized (w) {
            empty = w.ring.isEmpty();
        }
        if (empty) {
            sample(w); // the first look has something to show at once
        }
        start();
        synchronized (w) {
            return w.ring.stream().filter(s -> s.at().isAfter(since)).toList();
        }
    }

    /** One round: samples each runner looked at lately, drops the ended and the stale. Called by the scheduler (and tests). */
    void tick() {
        Instant now = rt.now();
        for (Map.Entry<String, Watched> e : watched.entrySet()) {
            Watched w = e.getValue();
            if (ended(e.getKey())) {
                watched.remove(e.getKey(), w);
                continue;
            }
            if (!w.lastAsked.plus(WATCHED_FOR).isBefore(now)) {
                sample(w);
                continue;
            }
            synchronized (w) {
                MetricsSample newest = w.ring.peekLast();
                if (newest == null || newest.at().plus(MetricsSample.KEPT).isBefore(now)) {
                    watched.remove(e.getKey(), w);
                }
            }
        }
    }

    /** Runners kept here now (sampled or holding samples). */
    int watchedRunners() {
        return watched.size();
    }

    private boolean ended(String runnerId) {
        Optional<StoredRunner> stored = rt.db.read(c -> rt.runners.find(c, runnerId));
        return stored.isEmpty() || stored.get().runner().state().isFinal();
    }

    private void sample(Watched w) {
        LiveSandbox box = w.sandbox;
        Optional<MetricsSample> taken;
        try {
            taken = box.provider().sample(box.ref(), box.policy());
        } catch (RuntimeException e) {
            if (!w.warned) { // once per runner: a provider that cannot tell would otherwise log every few seconds
                w.warned = true;
                LOG.log(System.Logger.Level.WARNING, "could not sample the sandbox of " + box.runnerId() + ": " + e.getMessage());
            }
            return;
        }
        if (taken.isEmpty()) {
            return;
        }
        MetricsSample s = taken.get();
        MetricsSample stamped = new MetricsSample(rt.now(), s.cpuPercent(), s.memoryBytes(), s.memoryLimitBytes(), s.diskBytes(),
                s.diskLimitBytes(), s.processes(), s.networkRxBytes(), s.networkTxBytes(), s.source());
        synchronized (w) {
            w.ring.addLast(stamped);
            Instant oldest = stamped.at().minus(MetricsSample.KEPT);
            while (w.ring.size() > RING || w.ring.peekFirst().at().isBefore(oldest)) {
                w.ring.removeFirst();
            }
        }
    }

    private synchronized void start() {
        if (scheduler != null || closed) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runnerdesk-metrics");
            t.setDaemon(true);
            return t;
        });
        long every = MetricsSample.INTERVAL.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "sampling runners failed; retrying next round", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        watched.clear();
    }
}
