package dev.runnerdesk.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.provider.local.LocalExecBench;
import dev.runnerdesk.testutil.AuditFill;
import dev.runnerdesk.ui.runners.RunnerListPulses;
import dev.runnerdesk.ui.terminal.TerminalCat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs every benchmark against its floor, side by side in one run, and prints one line per figure (ours, the
 * floor, the ratio, the target, pass or MISS); writes {@code results.json}. {@code ./mvnw -Pbench verify} runs it;
 * {@code -Dbench.only=append,timeline} (figure keys: first-frame, local-exec, gateway-exec, throughput, append, audit-verify,
 * timeline, files, runner-list, terminal) runs some. A figure that cannot be measured here says why.
 */
public final class BenchMain {
    private final Path basedir = Path.of(System.getProperty("bench.basedir", "."));
    private final Path out = Path.of(System.getProperty("bench.out", "target/bench"));
    private final Path work = out.resolve("work");
    private final Set<String> only = Arrays.stream(System.getProperty("bench.only", "").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    private final List<Figure> figures = new ArrayList<>();
    private Xvfb xvfb;

    @FunctionalInterface
    private interface Step {
        List<Figure> run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        new BenchMain().runAll();
    }

    private void runAll() throws Exception {
        deleteTree(work);
        Files.createDirectories(work);
        try {
            figure("first-frame", List.of("first frame (JVM start → window shown)", "idle resident memory, 1,000 runners"), () -> {
                String reason = PackagedApp.unavailableReason();
                if (reason != null) {
                    throw new Unmeasurable(reason);
                }
                return new PackagedApp(basedir, out, display()).measure();
            });
            figure("local-exec", List.of("local exec `true` round trip"), () -> {
                Micro.Pair p = Micro.run(LocalExecBench.class, out, Map.of("workDir", work.toString()));
                return List.of(Figure.ratioAtMost("local exec `true` round trip", p.oursMs(), p.floorMs(), "ms",
                        "same bwrap argv started directly", 1.15, "EmbeddedRunnerService.exec, locked profile; JMH avg"));
            });
            figure("gateway-exec", List.of("fake exec through serve"), () -> {
                Micro.Pair p = Micro.run(GatewayExecBench.class, out, Map.of("workDir", work.toString()));
                return List.of(Figure.ratioAtMost("fake exec through serve", p.oursMs(), p.floorMs(), "ms",
                        "OkHttp GET /health, same server", 2, "GatewayRunnerService → serve; JMH avg"));
            });
            figure("throughput", List.of("serve throughput, 16 clients"), () -> {
                double ours = ServeThroughput.ours(work.resolve("throughput"));
                double floor = ServeThroughput.floor();
                return List.of(Figure.ratioAtLeast("serve throughput, 16 clients", ours, floor, "req/s",
                        "JDK HttpServer answering a constant", 0.5, "fake execs; median of 5 × 2 s"));
            });
            figure("append", List.of("event append (durable, chained)"), () -> {
                Micro.Pair p = Micro.run(EventAppendBench.class, out, Map.of("workDir", work.toString()));
                return List.of(Figure.ratioAtMost("event append (durable, chained)", p.oursMs(), p.floorMs(), "ms",
                        "raw JDBC insert, same row, WAL, synchronous=FULL", 1.5, "one transaction per event; JMH avg"));
            });
            figure("timeline", List.of("timeline page, 500 newest of 1,000,000"), () -> {
                Path data = timelineData();
                Micro.Pair p = Micro.run(TimelinePageBench.class, out, Map.of("dataDir", data.toString()));
                return List.of(Figure.ratioAtMost("timeline page, 500 newest of 1,000,000", p.oursMs(), p.floorMs(), "ms",
                        "the raw SELECT", 2, "RunnerService.events; JMH avg",
                        new Figure.Check("< 20 ms", p.oursMs() < 20)));
            });
            figure("audit-verify", List.of("audit verify, 1,000,000 events + 1,000 checkpoints"), () -> {
                Path data = AuditVerifyBench.data(out);
                double ours = Timing.median("audit verify (ms)", 1, 3, () -> AuditVerifyBench.ours(data));
                double floor = Timing.median("SELECT + SHA-256 of every row (ms)", 1, 3, () -> AuditVerifyBench.floor(data));
                return List.of(Figure.ratioAtMost("audit verify, 1,000,000 events + 1,000 checkpoints", ours / 1000, floor / 1000, "s",
                        "one SELECT of every row, each hashed once", 3, "EmbeddedRuntime.verifyAuditChain: canonical JSON,"
                                + " hash and link of every event, every signature; median of 3 after a warm-up",
                        new Figure.Check("< 10 s", ours < 10_000)));
            });
            figure("files", List.of("files put (CLI → serve)", "files get (serve → CLI)"),
                    () -> new FileTransferBench(out, work).measure());
            figure("runner-list", List.of("runner list: 1,000 changes to 10,000 rows"), this::runnerList);
            figure("terminal", List.of("terminal: cat 47 MB, scrollback 10,000"), this::terminal);
        } finally {
            if (xvfb != null) {
                xvfb.close();
            }
        }
        report();
    }

    private void figure(String key, List<String> names, Step step) {
        if (!only.isEmpty() && !only.contains(key)) {
            return;
        }
        System.out.println("== " + key);
        try {
            figures.addAll(step.run());
        } catch (Unmeasurable e) {
            names.forEach(n -> figures.add(Figure.notMeasured(n, e.getMessage())));
        } catch (Exception | Error e) {
            e.printStackTrace(System.out);
            names.forEach(n -> figures.add(Figure.notMeasured(n, "failed: " + e)));
        }
    }

    /** A figure this machine cannot measure (a tool missing), as opposed to one that failed. */
    static final class Unmeasurable extends Exception {
        Unmeasurable(String reason) {
            super(reason);
        }
    }

    private String display() throws Exception {
        if (xvfb == null) {
            xvfb = Xvfb.start(out.resolve("xvfb.log"));
        }
        return xvfb.display;
    }

    /** A data directory with 1,000,000 events of 100 runners (kept between runs: filling takes a while). */
    private Path timelineData() throws Exception {
        Path data = out.resolve("timeline-1m");
        Path done = data.resolve("filled");
        if (Files.exists(done)) {
            return data;
        }
        deleteTree(data);
        new EmbeddedRuntime(data, Clock.systemUTC(), List.of(new FakeProvider())).close(); // the schema
        String[] types = {EventTypes.COMMAND_EXECUTED, EventTypes.COMMAND_EXECUTED, EventTypes.COMMAND_DENIED, EventTypes.SESSION_STARTED};
        Instant start = Instant.now().minusSeconds(1_000_000);
        AuditFill.append(data, 1_000_000, i -> new AuditFill.Row(types[i % types.length], start.plusSeconds(i),
                "runner_" + String.format("%012x", i % 100), "sess_" + String.format("%012x", i / 50), "local",
                Map.of("command_id", "cmd_" + String.format("%012x", i), "argv", List.of("echo", Integer.toString(i)), "exit_code", 0)));
        Files.writeString(done, "1000000\n");
        return data;
    }

    private List<Figure> runnerList() throws Exception {
        Path log = out.resolve("runner-list.log");
        Files.deleteIfExists(log);
        ChildJvm.run(display(), log, 300, RunnerListPulses.Launcher.class.getName());
        PulseLog.Pulses pulses = PulseLog.read(log);
        double burst = PulseLog.values(log, "burst-ms").stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return List.of(Figure.absolute("runner list: 1,000 changes to 10,000 rows", pulses.maxMillis(), "ms longest pulse",
                pulses.count() + " pulses; the longest spent " + pulses.paintingOfMax() + " ms painting or waiting for it (software pipeline);"
                        + " longest pulse less its painting " + pulses.maxWithoutPainting() + " ms; longest burst of 1,000 changes"
                        + " on the FX thread " + Figure.num(burst) + " ms",
                new Figure.Check("no pulse > 16 ms", pulses.maxMillis() <= 16)));
    }

    private List<Figure> terminal() throws Exception {
        for (String tool : List.of("xterm", "seq")) {
            if (!Timing.onPath(tool)) {
                throw new Unmeasurable(tool + " is missing (scripts/bench.sh installs it)");
            }
        }
        Path file = out.resolve("seq.txt");
        if (!Files.exists(file) || Files.size(file) < 40_000_000) {
            Timing.run(List.of("sh", "-c", "seq 1 6000000 > '" + file + "'"), out.resolve("seq.log"), 120);
        }
        Path log = out.resolve("terminal.log");
        Files.deleteIfExists(log);
        ChildJvm.run(display(), log, 1_800, TerminalCat.Launcher.class.getName(), work.resolve("terminal").toString(),
                file.toString(), "5");
        if (Files.readString(log).contains("failed=")) {
            throw new IOException("the terminal benchmark failed (log: " + log + ")");
        }
        double ours = Timing.median(PulseLog.values(log, "run-ms").stream().mapToDouble(Double::doubleValue).toArray());
        System.out.println("  terminal runs (ms): " + PulseLog.values(log, "run-ms") + " → median " + Figure.num(ours));
        PulseLog.Pulses pulses = PulseLog.read(log);
        String grid = Files.readAllLines(log).stream().filter(l -> l.startsWith("grid=")).map(l -> l.substring(5))
                .findFirst().orElse("80x24");
        // xterm with the same grid as the widget, on the same display
        List<String> xterm = List.of("xterm", "-geometry", grid, "-sl", "10000", "-e", "sh", "-c", "cat '" + file + "'");
        double floor = Timing.median("xterm -sl 10000, " + grid + " (ms)", 0, 3, () -> {
            long started = System.nanoTime();
            Timing.run(xterm, out.resolve("xterm.log"), 900, "DISPLAY", display());
            return (System.nanoTime() - started) / 1e6;
        });
        return List.of(Figure.ratioAtMost("terminal: cat 47 MB, scrollback 10,000", ours / 1000, floor / 1000, "s",
                "xterm -sl 10000, same Xvfb, median of 3", 0.3,
                "ours median of 5 after a warm-up; grid " + grid + "; longest pulse " + pulses.maxMillis() + " ms of "
                        + pulses.count() + " (" + pulses.paintingOfMax() + " ms of it painting or waiting for it; longest less that "
                        + pulses.maxWithoutPainting() + " ms)",
                new Figure.Check("no pulse > 50 ms", pulses.maxMillis() <= 50)));
    }

    private void report() throws IOException {
        String[] head = {"figure", "ours", "floor", "ratio", "target", "result"};
        List<String[]> rows = new ArrayList<>();
        for (Figure f : figures) {
            rows.add(new String[] {f.name(), f.ours(), f.floor(), f.comparison(), f.target(), f.verdict()});
        }
        int[] width = new int[head.length];
        Stream.concat(Stream.<String[]>of(head), rows.stream()).forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        StringBuilder table = new StringBuilder();
        Stream.concat(Stream.<String[]>of(head), rows.stream()).forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                table.append(String.format("%-" + width[i] + "s", r[i])).append(i + 1 < r.length ? " | " : "\n");
            }
        });
        System.out.println();
        System.out.println("RunnerDesk benchmarks, " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.print(table);
        figures.stream().filter(f -> f.note() != null && !f.note().isEmpty())
                .forEach(f -> System.out.println("  " + f.name() + ": " + f.note()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", LocalDate.now().toString());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("figures", figures);
        Files.createDirectories(out);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), json);
        System.out.println("results: " + out.resolve("results.json"));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.delete(p);
            }
        }
    }
}
