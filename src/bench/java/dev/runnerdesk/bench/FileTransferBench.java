package dev.runnerdesk.bench;

import com.sun.net.httpserver.HttpServer;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A big file up and down through the CLI and {@code serve}: {@code runnerdesk runners files put} then {@code get}
 * with {@code --gateway}, the CLI in a JVM of its own with a 64 MiB heap, {@code serve} in another with 256 MiB,
 * on a local (bubblewrap) runner whose workspace is a tmpfs. Against the same bytes between curl and a JDK
 * HttpServer that only discards the upload and sends the file back. Each direction three times; the median.
 */
final class FileTransferBench {
    /** 2 GiB unless {@code -Dbench.files.mib} says otherwise (or this computer has too little room). */
    static final long DEFAULT_MIB = 2048;
    static final long SMALL_MIB = 200;
    private static final int RUNS = Integer.getInteger("bench.files.runs", 3);

    private final Path out;
    private final Path work;
    private final List<String> notes = new ArrayList<>();
    private final List<Double> putMBps = new ArrayList<>();
    private final List<Double> getMBps = new ArrayList<>();
    private long sizeBytes;
    private long clientRssKib;
    private double clientHeapPeak;
    private double clientHeapLive;
    private boolean hashesMatch = true;
    private double startSeconds;
    private String loadAtStart = "?";

    FileTransferBench(Path out, Path work) {
        this.out = out;
        this.work = work;
    }

    /** The figures: upload and download, each against its floor. */
    List<Figure> measure() throws Exception {
        for (String tool : List.of("curl", "bwrap", "head")) {
            if (!Timing.onPath(tool)) {
                throw new BenchMain.Unmeasurable(tool + " is missing (scripts/bench.sh installs bwrap; curl and head come with the system)");
            }
        }
        loadAtStart = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        long mib = chooseSize();
        sizeBytes = mib * 1024 * 1024;
        Path source = source(mib);
        String sha = sha256(source);
        Path back = work.resolve("files-back.bin");
        Files.createDirectories(work);

        ServeChild serve = ServeChild.start(out, work.resolve("files-serve"));
        String label = mib >= 1024 ? Figure.num(mib / 1024.0) + " GiB" : mib + " MiB";
        try (RunnerService admin = new GatewayRunnerService(GatewayConnection.of(serve.baseUrl(), serve.key(), false))) {
            Policies policies = admin.policies();
            EnumMap<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
            ProfilePolicy locked = policies.profile(ToolProfile.LOCKED);
            ResourceLimits l = locked.limits();
            int diskMib = (int) (2 * mib + 512); // room for a replaced file and its new copy side by side
            profiles.put(ToolProfile.LOCKED, locked.withLimits(new ResourceLimits(l.maxProcesses(), l.memoryMib(), diskMib,
                    l.tmpMib(), l.cpuPercent())).withFiles(new FileAccess(true, (int) Math.min(65_536, mib + 64))));
            admin.updatePolicies(new Policies(profiles, policies.pii()));
            String runner = admin.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.LOCKED, 3600)).runnerId();
            try {
                // what a command costs besides its bytes: the JVM's start, picocli, one request
                startSeconds = launch(serve, "ls", List.of("ls", runner)).seconds();
                System.out.printf(Locale.ROOT, "  files ls (start-up and one request): %.2f s%n", startSeconds);
                for (int i = 0; i < RUNS; i++) {
                    if (i > 0) {
                        admin.deleteFile(runner, "big.bin", false); // each upload makes a new file, none replaces one
                    }
                    putMBps.add(cli(serve, "put", runner, source, i));
                    Files.deleteIfExists(back);
                    getMBps.add(cli(serve, "get", runner, back, i));
                    String got = sha256(back);
                    if (!got.equals(sha)) {
                        hashesMatch = false;
                        notes.add("run " + (i + 1) + ": SHA-256 " + got + " came back for " + sha);
                    }
                    Files.deleteIfExists(back);
                }
            } finally {
                admin.terminate(runner);
            }
        } finally {
            serve.stop();
        }
        double[] floor = floor(source, back);
        GcLog.Peak server = GcLog.read(serve.gcLog());
        double put = Timing.median(putMBps.stream().mapToDouble(Double::doubleValue).toArray());
        double get = Timing.median(getMBps.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf(Locale.ROOT, "  ours put MB/s %s → median %s; get MB/s %s → median %s%n", putMBps, Figure.num(put), getMBps, Figure.num(get));
        String common = "CLI (-Xmx64m) peak RSS " + clientRssKib / 1024 + " MiB, heap at most " + Figure.num(clientHeapPeak)
                + " MiB before a collection and " + Figure.num(clientHeapLive) + " MiB after; serve (-Xmx256m) heap at most "
                + Figure.num(server.before()) + " MiB before a collection and " + Figure.num(server.after()) + " MiB after, peak RSS "
                + serve.rssKib() / 1024 + " MiB; SHA-256 " + (hashesMatch ? "equal each run" : "DIFFERENT") + "; median of "
                + RUNS + ", each the command's wall time, JVM start included (a `files ls` took " + Figure.num(startSeconds)
                + " s); load average " + loadAtStart + " at the start" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        Figure.Check same = new Figure.Check("same SHA-256", hashesMatch);
        Figure.Check heap = new Figure.Check("CLI heap ≤ 64 MiB", clientHeapPeak <= 64);
        return List.of(
                Figure.ratioAtLeast("files put " + label + " (CLI → serve)", put, floor[0], "MB/s", "curl -T → JDK HttpServer discarding it",
                        0.5, common, same, heap),
                Figure.ratioAtLeast("files get " + label + " (serve → CLI)", get, floor[1], "MB/s", "JDK HttpServer sending the file → curl",
                        0.5, common, same, heap));
    }

    /** The size: 2 GiB (or -Dbench.files.mib) when the disk and memory hold it twice over, else 200 MiB. */
    private long chooseSize() throws IOException {
        long wanted = Long.getLong("bench.files.mib", DEFAULT_MIB);
        Files.createDirectories(out);
        long diskMib = Files.getFileStore(out).getUsableSpace() / 1024 / 1024;
        long memoryMib = availableMemoryMib();
        System.out.printf("  free: %d MiB disk, %d MiB memory (the workspace is a tmpfs)%n", diskMib, memoryMib);
        // the source and the downloaded copy on disk; the workspace's copy (two while replaced) in memory
        if (diskMib < 2 * wanted + 1024 || memoryMib < 2 * wanted + 1024) {
            notes.add("scaled down from " + wanted + " MiB: " + diskMib + " MiB disk and " + memoryMib + " MiB memory free");
            return SMALL_MIB;
        }
        return wanted;
    }

    private static long availableMemoryMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return 0;
    }

    /** Random bytes of the size, kept between runs (making 2 GiB takes a while). */
    private Path source(long mib) throws IOException, InterruptedException {
        Path file = out.resolve("files-" + mib + "mib.bin");
        if (Files.exists(file) && Files.size(file) == mib * 1024 * 1024) {
            return file;
        }
        Files.deleteIfExists(file);
        Timing.run(List.of("sh", "-c", "head -c " + mib * 1024 * 1024 + " /dev/urandom > '" + file + "'"), out.resolve("files-source.log"), 600);
        return file;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) != -1; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** One CLI command's run: its wall time, peak RSS and CPU time, what it printed, its GC log. */
    private record Run(double seconds, Rss.Usage usage, double serveCpu, String output, GcLog.Peak heap) {
    }

    /** {@code runnerdesk runners files ARGS… --gateway} in a JVM of its own with a 64 MiB heap; fails on a non-zero exit. */
    private Run launch(ServeChild serve, String name, List<String> args) throws Exception {
        Path log = out.resolve("files-cli-" + name + ".log");
        Path gc = out.resolve("files-cli-" + name + "-gc.log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(ServeChild.java(), "-Xmx64m", "-Xlog:gc:file=" + gc));
        if (Boolean.getBoolean("bench.jfr")) { // -Dbench.jfr=true: a flight recording of each CLI run, as Micro does
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + out.toAbsolutePath().resolve("jfr-files-" + name + ".jfr"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.runnerdesk.cli.Main", "runners", "files"));
        command.addAll(args);
        command.addAll(List.of("--gateway", serve.baseUrl(), "--timeout-seconds", "600"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("RUNNERDESK_API_KEY", serve.key());
        double serveCpu = Rss.cpuSeconds(serve.process().pid());
        long started = System.nanoTime();
        Process p = pb.start();
        Rss.Usage usage = Rss.watch(p, 1_800);
        double seconds = (System.nanoTime() - started) / 1e9;
        serveCpu = Rss.cpuSeconds(serve.process().pid()) - serveCpu;
        String output = Files.readString(log);
        if (p.exitValue() != 0 || output.contains("OutOfMemoryError")) {
            throw new IOException("files " + String.join(" ", args) + " exited " + p.exitValue() + ": " + output.strip());
        }
        return new Run(seconds, usage, serveCpu, output, GcLog.read(gc));
    }

    /** One put or get of the big file; returns MB/s (10^6 bytes a second) of the command's wall time. */
    private double cli(ServeChild serve, String verb, String runner, Path local, int run) throws Exception {
        Run r = launch(serve, verb + "-" + run, List.of(verb, runner, "big.bin", local.toString()));
        if (!r.output().contains(sizeBytes + " bytes")) {
            throw new IOException("files " + verb + " did not report " + sizeBytes + " bytes: " + r.output().strip());
        }
        clientRssKib = Math.max(clientRssKib, r.usage().peakKib());
        clientHeapPeak = Math.max(clientHeapPeak, r.heap().before());
        clientHeapLive = Math.max(clientHeapLive, r.heap().after());
        double mbps = sizeBytes / 1e6 / r.seconds();
        System.out.printf(Locale.ROOT, "  files %s run %d: %.2f s, %s MB/s, peak RSS %d MiB, heap ≤ %s MiB (%s MiB after GC);"
                        + " CPU: CLI %.1f s, serve %.1f s%n", verb, run + 1, r.seconds(), Figure.num(mbps), r.usage().peakKib() / 1024,
                Figure.num(r.heap().before()), Figure.num(r.heap().after()), r.usage().cpuSeconds(), r.serveCpu());
        return mbps;
    }

    /** The floor's MB/s, up and down: curl against a JDK HttpServer that only discards the upload and sends the file. */
    private double[] floor(Path source, Path back) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "floor-files");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/up", exchange -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = exchange.getRequestBody()) {
                while (in.read(buf) != -1) {
                    // discarded
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(200, Files.size(source));
            try (OutputStream body = exchange.getResponseBody(); InputStream in = Files.newInputStream(source)) {
                in.transferTo(body);
            }
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            double up = Timing.median("curl -T → HttpServer discarding (MB/s)", 0, RUNS, () ->
                    curl(List.of("curl", "-sS", "-f", "-H", "Expect:", "-T", source.toString(), base + "/up", "-o", "/dev/null")));
            double down = Timing.median("HttpServer sending the file → curl (MB/s)", 0, RUNS, () -> {
                Files.deleteIfExists(back);
                double mbps = curl(List.of("curl", "-sS", "-f", base + "/down", "-o", back.toString()));
                if (Files.size(back) != sizeBytes) {
                    throw new IOException("the floor's download has " + Files.size(back) + " bytes");
                }
                Files.delete(back);
                return mbps;
            });
            return new double[] {up, down};
        } finally {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    private double curl(List<String> command) throws Exception {
        long started = System.nanoTime();
        Timing.run(command, out.resolve("files-curl.log"), 1_800);
        return sizeBytes / 1e6 / ((System.nanoTime() - started) / 1e9);
    }

    /** {@code runnerdesk serve} in a JVM of its own with a 256 MiB heap, on a data directory of its own. */
    record ServeChild(Process process, String baseUrl, String key, Path gcLog, Rss.Watch rss) {
        static String java() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        static ServeChild start(Path out, Path dataDir) throws Exception {
            BenchMain.deleteTree(dataDir);
            Files.createDirectories(dataDir);
            Path log = out.resolve("files-serve.log");
            Path gc = out.resolve("files-serve-gc.log");
            String key = "cm_sk_bench" + UUID.randomUUID().toString().replace("-", "");
            ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx256m", "-Xlog:gc:file=" + gc, "-cp", System.getProperty("java.class.path"),
                    "dev.runnerdesk.cli.Main", "serve", "--data-dir", dataDir.toString(), "--port", "0", "--rate-limit", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("RUNNERDESK_API_KEY", key);
            pb.environment().put("RUNNERDESK_LOCAL_AS_ROOT", "1"); // containers and CI run this as root
            Process p = pb.start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                String text = Files.exists(log) ? Files.readString(log) : "";
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on (http://[^/\\s]+)").matcher(text);
                if (m.find()) {
                    return new ServeChild(p, m.group(1), key, gc, Rss.background(p));
                }
                if (!p.isAlive()) {
                    throw new IOException("serve exited " + p.exitValue() + ": " + text.strip());
                }
                Thread.sleep(100);
            }
            p.destroyForcibly();
            throw new IOException("serve did not start in 120 s (log: " + log + ")");
        }

        long rssKib() {
            return rss.peakKib();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            rss.stop();
        }
    }
}
