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
 * The JMH part: each benchmark class has a {@code floor} and an {@code ours} method, each measured in a forked JVM
 * of its own, one after the other (average time per call; 3 × 1 s warm-up, 5 × 1 s measured). JMH's own report
 * goes to {@code jmh-<class>.<method>.log}; with {@code -Dbench.jfr=true} each fork is recorded by JFR as well.
 */
final class Micro {
    /** Average milliseconds per call of {@code ours} and {@code floor}. */
    record Pair(double oursMs, double floorMs) {
    }

    private Micro() {
    }

    static Pair run(Class<?> benchmark, Path out, Map<String, String> params) throws RunnerException {
        Map<String, Double> ms = new LinkedHashMap<>();
        for (String method : new String[] {"floor", "ours"}) {
            String name = benchmark.getSimpleName() + "." + method;
            ChainedOptionsBuilder b = new OptionsBuilder()
                    .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                    .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                    .mode(Mode.AverageTime).timeUnit(TimeUnit.MICROSECONDS)
                    .output(out.resolve("jmh-" + name + ".log").toString());
            params.forEach(b::param);
            if (Boolean.getBoolean("bench.jfr")) {
                // -Dbench.jfr=true: a flight recording of the forked JVM, for scripts/jfr-summary.py
                b.jvmArgsAppend("-XX:StartFlightRecording=settings=profile,filename=" + out.toAbsolutePath().resolve("jfr-" + name + ".jfr"));
            }
            Collection<RunResult> results = new Runner(b.build()).run();
            for (RunResult r : results) {
                ms.put(method, r.getPrimaryResult().getScore() / 1000.0);
                System.out.printf("  %s: %.4f ms/op (± %.4f)%n", name, r.getPrimaryResult().getScore() / 1000.0,
                        r.getPrimaryResult().getScoreError() / 1000.0);
            }
            if (!ms.containsKey(method)) {
                throw new IllegalStateException(name + " did not run (see " + out.resolve("jmh-" + name + ".log") + ")");
            }
        }
        return new Pair(ms.get("ours"), ms.get("floor"));
    }
}
