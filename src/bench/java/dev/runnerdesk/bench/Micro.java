package dev.runnerdesk.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The JMH part: each benchmark class has an {@code ours} and a {@code floor} method, measured in one forked JVM
 * one after the other (average time per call; 3 × 1 s warm-up, 5 × 1 s measured). JMH's own report goes to
 * {@code jmh-<class>.log}; with {@code -Dbench.jfr=true} each fork is recorded by JFR as well.
 */
final class Micro {
    /** Average milliseconds per call of {@code ours} and {@code floor}. */
    record Pair(double oursMs, double floorMs) {
    }

    private Micro() {
    }

    static Pair run(Class<?> benchmark, Path out, Map<String, String> params) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .mode(Mode.AverageTime).timeUnit(TimeUnit.MICROSECONDS)
                .output(out.resolve("jmh-" + benchmark.getSimpleName() + ".log").toString());
        params.forEach(b::param);
        if (Boolean.getBoolean("bench.jfr")) {
            // -Dbench.jfr=true: a flight recording of each forked JVM, for scripts/jfr-summary.py
            b.jvmArgsAppend("-XX:StartFlightRecording=settings=profile,filename="
                    + out.toAbsolutePath().resolve("jfr-" + benchmark.getSimpleName() + "-%p.jfr"));
        }
        Collection<RunResult> results = new Runner(b.build()).run();
        Map<String, Double> ms = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().substring(benchmark.getName().length() + 1);
            ms.put(method, r.getPrimaryResult().getScore() / 1000.0);
            System.out.printf("  %s.%s: %.4f ms/op (± %.4f)%n", benchmark.getSimpleName(), method,
                    r.getPrimaryResult().getScore() / 1000.0, r.getPrimaryResult().getScoreError() / 1000.0);
        }
        if (!ms.containsKey("ours") || !ms.containsKey("floor")) {
            throw new IllegalStateException(benchmark.getSimpleName() + " did not run (see "
                    + out.resolve("jmh-" + benchmark.getSimpleName() + ".log") + ")");
        }
        return new Pair(ms.get("ours"), ms.get("floor"));
    }
}
