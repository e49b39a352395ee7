package dev.runnerdesk.embedded;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler's rounds driven by hand ({@code tick}) on a clock moved by hand: no waiting for the 5 s interval. */
class RunnerMetricsSamplerTest {
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private EmbeddedRuntime runtime;
    private RunnerService service;

    @BeforeEach
    void open() {
        runtime = new EmbeddedRuntime(dataDir, clock, List.of(new FakeProvider(clock)));
        service = runtime.serviceFor(Principal.localUser());
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private Runner runner() {
        return service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
    }

    private void round() {
        clock.advance(MetricsSample.INTERVAL);
        runtime.metrics.tick();
    }

    @Test
    void onlyRunnersSomeoneAskedAboutInTheLastMinuteAreSampled() {
        Runner looked = runner();
        runner(); // nobody asks about this one
        assertEquals(1, service.metrics(looked.runnerId(), Instant.EPOCH).size(), "a first sample at once");
        round();
        round();
        assertEquals(1, runtime.metrics.watchedRunners(), "the other runner is never sampled");
        List<MetricsSample> three = service.metrics(looked.runnerId(), Instant.EPOCH);
        assertEquals(3, three.size());
        assertTrue(three.get(0).at().isBefore(three.get(2).at()), "oldest first, on the runtime's clock");
        assertEquals(List.of(three.get(2)), service.metrics(looked.runnerId(), three.get(1).at()), "only those after since");

        for (int i = 0; i < 13; i++) { // a minute and a bit with nobody looking
            round();
        }
        int sampled = service.metrics(looked.runnerId(), Instant.EPOCH).size();
        assertEquals(3 + 12, sampled, "sampled for the minute after the last question, then no more");
        round();
        assertEquals(sampled + 1, service.metrics(looked.runnerId(), Instant.EPOCH).size(), "asking again starts it again");
    }

    @Test
    void eachRunnerKeepsFifteenMinutesInABoundedRing() {
        Runner r = runner();
        Duration kept = Duration.ZERO;
        while (kept.compareTo(MetricsSample.KEPT.multipliedBy(2)) < 0) {
            service.metrics(r.runnerId(), Instant.EPOCH);
            round();
            kept = kept.plus(MetricsSample.INTERVAL);
        }
        List<MetricsSample> samples = service.metrics(r.runnerId(), Instant.EPOCH);
        assertTrue(samples.size() <= RunnerMetricsSampler.RING, samples.size() + " samples");
        assertTrue(!samples.get(0).at().isBefore(clock.instant().minus(MetricsSample.KEPT)), "none older than 15 minutes");
        assertEquals("synthetic", samples.get(0).source());
    }

    @Test
    void aRunnerThatEndedIsNoLongerSampledAndItsSamplesAreDropped() {
        Runner r = runner();
        service.metrics(r.runnerId(), Instant.EPOCH);
        round();
        service.terminate(r.runnerId());
        round();
        assertEquals(0, runtime.metrics.watchedRunners());
    }

    @Test
    void samplesOfARunnerNobodyLooksAtAreDroppedOnceOlderThanFifteenMinutes() {
        Runner r = runner();
        service.metrics(r.runnerId(), Instant.EPOCH);
        for (Duration d = Duration.ZERO; d.compareTo(MetricsSample.KEPT.plusMinutes(2)) < 0; d = d.plus(MetricsSample.INTERVAL)) {
            round();
        }
        assertEquals(0, runtime.metrics.watchedRunners());
    }
}
