package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.policy.DefaultPolicies;
import dev.runnerdesk.provider.SandboxSpec;
import dev.runnerdesk.provider.WorkspaceFiles;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The e2b provider's workspace files and metrics, through envd's filesystem API and the control plane, on the stub. */
class E2bFilesTest {
    @TempDir
    Path dir;
    private E2bStub stub;
    private E2bProvider provider;
    private String ref;
    private WorkspaceFiles files;
    private Path home;

    @BeforeEach
    void open() throws IOException {
        stub = new E2bStub(Files.createDirectories(dir.resolve("e2b")));
        provider = stub.provider();
        ProfilePolicy policy = DefaultPolicies.create().profile(ToolProfile.LOCKED);
        ref = provider.create(new SandboxSpec("runner_0123456789abcdef", policy, 600, Optional.empty()));
        files = provider.files(ref);
        home = stub.home(ref);
    }

    @AfterEach
    void close() {
        provider.close();
        stub.close();
    }

    private static WorkspacePath p(String raw) {
        return WorkspacePath.parse("path", raw);
    }

    private byte[] read(String path, long offset, long length) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        files.read(p(path), offset, length, sink);
        return sink.toByteArray();
    }

    private FileEntry write(String path, byte[] data) {
        return files.write(p(path), new ByteArrayInputStream(data), Long.MAX_VALUE);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFileRoundTripsWithOffsetsWhetherEnvdHonoursRangesOrNot() throws IOException {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        assertThrows(RunnerException.NotFound.class, () -> write("d/data.bin", data), "as elsewhere, no folder is made");
        assertFalse(Files.exists(home.resolve("d")));
        files.makeFolder(p("d"));
        FileEntry written = write("d/data.bin", data);
        assertEquals(new FileEntry("d/data.bin", "data.bin", FileEntry.Kind.FILE, data.length, written.mode(),
                written.modified(), Optional.empty()), written);
        assertArrayEquals(data, Files.readAllBytes(home.resolve("d/data.bin")), "the file is in the sandbox's home");
        for (boolean ignoreRanges : new boolean[]{false, true}) {
            stub.files.ignoreRanges = ignoreRanges;
            String how = ignoreRanges ? " (envd sends the whole file)" : " (envd sends the range)";
            assertArrayEquals(data, read("d/data.bin", 0, -1), how);
            assertArrayEquals(Arrays.copyOfRange(data, 1000, 6000), read("d/data.bin", 1000, 5000), how);
            assertArrayEquals(Arrays.copyOfRange(data, 299_990, 300_000), read("/d/data.bin", 299_990, 100),
                    "past the end reads to the end" + how);
            assertArrayEquals(Arrays.copyOfRange(data, 5, data.length), read("d/data.bin", 5, -1), how);
            assertEquals(0, read("d/data.bin", data.length, 10).length, "at the end: nothing" + how);
            assertEquals(0, read("d/data.bin", 10, 0).length, how);
        }
        E2bStub.Received ranged = stub.received.stream().filter(r -> r.path().startsWith("/files?")
                && r.headers().containsKey("range")).findFirst().orElseThrow();
        assertEquals("bytes=1000-5999", ranged.headers().get("range"));
        assertTrue(ranged.headers().containsKey("x-access-token"), "every envd call carries the access token");
        assertTrue(ranged.path().contains("path=%2Fhome%2Fuser%2Fd%2Fdata.bin"), ranged.path());
        assertEquals(List.of("d"), files.list(WorkspacePath.ROOT).stream().map(FileEntry::name).toList());
        assertEquals(FileEntry.Kind.FOLDER, files.stat(WorkspacePath.ROOT).kind());
    }

    @Test
    void anUploadOverTheLimitIsTooLargeAndReplacesNothing() throws IOException {
        write("kept.txt", text("old"));
        byte[] big = new byte[2000];
        RunnerException.TooLarge e = assertThrows(RunnerException.TooLarge.class,
                () -> files.write(p("kept.txt"), new ByteArrayInputStream(big), 1000));
        assertEquals(1000, e.limitBytes());
        assertThrows(RunnerException.TooLarge.class, () -> files.write(p("new.bin"), new ByteArrayInputStream(big), 1000));
        assertEquals("old", new String(read("kept.txt", 0, -1), StandardCharsets.UTF_8));
        assertThrows(RunnerException.NotFound.class, () -> files.stat(p("new.bin")));
        try (Stream<Path> left = Files.list(home)) {
            assertEquals(List.of("kept.txt"), left.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".bash"))
                    .toList(), "no temporary left behind");
        }
        assertEquals(1000, files.write(p("exact.bin"), new ByteArrayInputStream(new byte[1000]), 1000).size());
        write("kept.txt", text("new"));
        assertEquals("new", Files.readString(home.resolve("kept.txt")), "a write within the limit replaces the file");
    }

    @Test
    void symlinksThatLeadOutOfTheWorkspaceAreRefusedAndOnesInsideAreFollowed() throws IOException {
        Files.createSymbolicLink(home.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(home.resolve("up"), Path.of("../.."));
        Files.createSymbolicLink(home.resolve("nowhere"), Path.of("/nonexistent/place"));
        Files.createDirectories(home.resolve("sub"));
        Files.writeString(home.resolve("sub/f.txt"), "inside");
        Files.createSymbolicLink(home.resolve("in"), Path.of("sub"));
        Path outside = home.getParent().getParent();

        for (String out : List.of("etc", "up", "nowhere")) {
            assertThrows(RunnerException.Forbidden.class, () -> files.list(p(out)), out);
            assertThrows(RunnerException.Forbidden.class, () -> read(out + "/passwd", 0, -1), out);
            assertThrows(RunnerException.Forbidden.class, () -> write(out + "/planted.txt", text("x")), out);
            assertThrows(RunnerException.Forbidden.class, () -> files.makeFolder(p(out + "/made")), out);
            assertThrows(RunnerException.Forbidden.class, () -> files.move(p("sub/f.txt"), p(out + "/f.txt")), out);
            assertThrows(RunnerException.Forbidden.class, () -> files.delete(p(out), true), out);
            assertThrows(RunnerException.Forbidden.class, () -> files.watch(p(out), (c, path) -> { }), out);
            assertThrows(RunnerException.Forbidden.class, () -> files.stat(p(out + "/x")), out);
        }
        RunnerException.Forbidden why = assertThrows(RunnerException.Forbidden.class, () -> read("etc/passwd", 0, -1));
        assertTrue(why.getMessage().contains("/etc") && why.getMessage().contains("outside the workspace"), why.getMessage());
        assertFalse(Files.exists(outside.resolve("planted.txt")) || Files.exists(outside.resolve("made")),
                "nothing was written outside");
        assertTrue(Files.isSymbolicLink(home.resolve("etc")), "the link itself is left");

        FileEntry link = files.stat(p("etc"));
        assertEquals(FileEntry.Kind.SYMLINK, link.kind());
        assertEquals(Optional.of("/etc"), link.linkTarget());
        List<FileEntry> listed = files.list(WorkspacePath.ROOT);
        assertEquals(List.of("sub", "etc", "in", "nowhere", "up"), listed.stream().map(FileEntry::name).toList());
        assertTrue(listed.stream().filter(f -> !f.name().equals("sub")).allMatch(f -> f.kind() == FileEntry.Kind.SYMLINK),
                listed.toString());

        assertEquals("inside", new String(read("in/f.txt", 0, -1), StandardCharsets.UTF_8), "a link inside is followed");
        assertEquals(List.of("in/f.txt"), files.list(p("in")).stream().map(FileEntry::path).toList());
        assertEquals(Optional.of("/home/user/sub"), files.stat(p("in")).linkTarget());
    }

    /** A sink that keeps count and the largest single write, without keeping the bytes. */
    private static final class Tally extends OutputStream {
        final AtomicLong total = new AtomicLong();
        final AtomicInteger largest = new AtomicInteger();
        final java.security.MessageDigest sha = sha();

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            total.addAndGet(len);
            largest.accumulateAndGet(len, Math::max);
            sha.update(b, off, len);
        }

        static java.security.MessageDigest sha() {
            try {
                return java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aLargeFileStreamsBothWaysInPiecesOfAtMostTheChunk() {
        int size = 3 * 1024 * 1024 + 17;
        Random random = new Random(3);
        java.security.MessageDigest sent = Tally.sha();
        AtomicInteger largestAsk = new AtomicInteger();
        InputStream source = new InputStream() {
            int left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                largestAsk.accumulateAndGet(len, Math::max);
                if (left == 0) {
                    return -1;
                }
                int n = Math.min(len, left);
                byte[] piece = new byte[n];
                random.nextBytes(piece);
                System.arraycopy(piece, 0, b, off, n);
                sent.update(piece);
                left -= n;
                return n;
            }
        };
        assertEquals(size, files.write(p("big.bin"), source, Long.MAX_VALUE).size());
        assertTrue(largestAsk.get() <= EnvdFiles.CHUNK, "the upload reads at most a chunk at a time: " + largestAsk.get());

        Tally sink = new Tally();
        files.read(p("big.bin"), 0, -1, sink);
        assertEquals(size, sink.total.get());
        assertArrayEquals(sent.digest(), sink.sha.digest());
        assertTrue(sink.largest.get() <= EnvdFiles.CHUNK, "no write to the sink over " + EnvdFiles.CHUNK + " bytes: "
                + sink.largest.get());
    }

    @Test
    void aListingAnswerOverItsBoundIsRefusedUnreadInsteadOfFillingTheHeap() throws IOException {
        // 30,000 entries with long names: envd's ListDir answer is over 16 MiB
        Path many = Files.createDirectories(home.resolve("many"));
        String longName = "x".repeat(240);
        for (int i = 0; i < 30_000; i++) {
            Files.createFile(many.resolve(longName + i));
        }
        RunnerException.TooLarge refused = assertThrows(RunnerException.TooLarge.class, () -> files.list(p("many")));
        assertTrue(refused.getMessage().contains("over 16 MiB"), refused.getMessage());
        assertEquals(1, files.list(p("")).size(), "the workspace itself still lists");
    }

    @Test
    void movesRefuseWhatIsThereAndDeletesOfFullFoldersWantRecursive() throws IOException {
        write("a.txt", text("a"));
        write("b.txt", text("b"));
        assertThrows(RunnerException.Conflict.class, () -> files.move(p("a.txt"), p("b.txt")));
        assertEquals("b", Files.readString(home.resolve("b.txt")), "never replaced");
        assertThrows(RunnerException.NotFound.class, () -> files.move(p("none.txt"), p("c.txt")));
        assertThrows(RunnerException.NotFound.class, () -> files.move(p("a.txt"), p("deep/er/c.txt")));
        files.makeFolder(p("deep/er"));
        FileEntry moved = files.move(p("a.txt"), p("deep/er/c.txt"));
        assertEquals("deep/er/c.txt", moved.path());
        assertEquals("a", Files.readString(home.resolve("deep/er/c.txt")));
        assertThrows(RunnerException.InvalidRequest.class, () -> files.move(p("deep"), p("deep/er/inside")));

        assertEquals(FileEntry.Kind.FOLDER, files.makeFolder(p("x/y/z")).kind());
        assertEquals(FileEntry.Kind.FOLDER, files.makeFolder(p("x/y/z")).kind(), "an existing folder is fine");
        assertThrows(RunnerException.Conflict.class, () -> files.makeFolder(p("b.txt")));
        write("x/y/z/f.txt", text("f"));
        assertThrows(RunnerException.Conflict.class, () -> files.delete(p("x"), false));
        assertTrue(Files.exists(home.resolve("x/y/z/f.txt")), "a refused delete leaves it all");
        files.delete(p("x"), true);
        assertFalse(Files.exists(home.resolve("x")));
        assertThrows(RunnerException.NotFound.class, () -> files.delete(p("x"), true));
        files.makeFolder(p("empty"));
        files.delete(p("empty"), false);
        assertThrows(RunnerException.NotFound.class, () -> files.stat(p("empty")));
        assertThrows(RunnerException.NotFound.class, () -> files.list(p("b.txt/inner")));
        assertThrows(RunnerException.Conflict.class, () -> files.list(p("b.txt")));
        assertThrows(RunnerException.Conflict.class, () -> read("deep", 0, -1));
    }

    @Test
    void aWatchHearsWritesButNotTheUploadsTemporaryAndEndsWithTheSandbox() throws IOException {
        files.makeFolder(p("w"));
        List<String> heard = new CopyOnWriteArrayList<>();
        AtomicReference<RunnerException> ended = new AtomicReference<>();
        Subscription watch = files.watch(p("w"), new FileWatchListener() {
            @Override
            public void onChange(Change change, String path) {
                heard.add(change + " " + path);
            }

            @Override
            public void onEnded(RunnerException why) {
                ended.set(why);
            }
        });
        write("w/a.txt", text("hello"));
        Await.until(() -> heard.contains("CREATED w/a.txt"), Duration.ofSeconds(20), () -> "the upload heard; heard " + heard);
        Files.writeString(home.resolve("w/by-agent.txt"), "made inside");
        Await.until(() -> heard.contains("CREATED w/by-agent.txt"), Duration.ofSeconds(20), () -> "the agent's file; heard " + heard);
        assertTrue(heard.stream().noneMatch(h -> h.contains(E2bWorkspaceFiles.TEMP_PREFIX)), heard.toString());
        assertEquals(null, ended.get());

        stub.killBehindTheClientsBack(ref);
        Await.until(() -> ended.get() != null, Duration.ofSeconds(20), () -> "the watch to end with the sandbox");
        assertInstanceOf(RunnerException.Unavailable.class, ended.get());
        assertTrue(ended.get().getMessage().contains("gone"), ended.get().getMessage());
        watch.close();
        assertThrows(RunnerException.Unavailable.class, () -> files.list(WorkspacePath.ROOT), "a vanished sandbox");
        try (E2bProvider restarted = stub.provider()) { // looks the sandbox up again, and finds it gone
            assertThrows(RunnerException.Unavailable.class, () -> restarted.files(ref).list(WorkspacePath.ROOT));
        }
    }

    @Test
    void metricsAreE2bsNewestEntryWithCpuOfOneCoreAndAreKeptBriefly() throws IOException {
        Files.write(home.resolve("data.bin"), new byte[4096]);
        MetricsSample s = provider.sample(ref, DefaultPolicies.create().profile(ToolProfile.LOCKED)).orElseThrow();
        assertEquals("e2b", s.source());
        assertEquals(51.0, s.cpuPercent(), 1e-9, "25.5 % of 2 cores is 51 % of one");
        assertEquals(128L * 1024 * 1024, s.memoryBytes());
        assertEquals(512L * 1024 * 1024, s.memoryLimitBytes());
        assertEquals(600L * 1024 * 1024 + 4096, s.diskBytes());
        assertEquals(1024L * 1024 * 1024, s.diskLimitBytes());
        assertEquals(MetricsSample.UNKNOWN, s.processes());
        assertEquals(MetricsSample.UNKNOWN, s.networkRxBytes());
        assertEquals(1, stub.files.metricsCalls.get());
        provider.sample(ref, DefaultPolicies.create().profile(ToolProfile.LOCKED));
        assertEquals(1, stub.files.metricsCalls.get(), "a second look within the interval is answered from the last");
        E2bStub.Received asked = stub.received.stream().filter(r -> r.path().contains("/metrics")).findFirst().orElseThrow();
        assertTrue(asked.path().matches("/sandboxes/" + ref + "/metrics\\?start=\\d+"), asked.path());
        assertEquals(E2bStub.KEY, asked.headers().get("x-api-key"));

        stub.files.noMetricsYet = true;
        try (E2bProvider fresh = stub.provider()) {
            assertEquals(Optional.empty(), fresh.sample(ref, DefaultPolicies.create().profile(ToolProfile.LOCKED)),
                    "no data points yet: no sample");
        }
    }

    @Test
    void metricsAnswersAreReadWhateverTheirOrderAndGapsAre() throws IOException {
        assertEquals(Optional.empty(), E2bMetrics.newest(Json.MAPPER.readTree("[]")));
        assertEquals(Optional.empty(), E2bMetrics.newest(Json.MAPPER.readTree("{\"message\":\"odd\"}")));
        MetricsSample s = E2bMetrics.newest(Json.MAPPER.readTree("[{\"timestampUnix\":20,\"cpuCount\":4,\"cpuUsedPct\":50,"
                + "\"memUsed\":1,\"memTotal\":2,\"diskUsed\":3,\"diskTotal\":4},{\"timestampUnix\":10,\"cpuCount\":4,"
                + "\"cpuUsedPct\":1}]")).orElseThrow();
        assertEquals(200.0, s.cpuPercent(), 1e-9);
        assertEquals(20, s.at().getEpochSecond());
        assertEquals(3, s.diskBytes());
        MetricsSample partial = E2bMetrics.newest(Json.MAPPER.readTree("[{\"timestamp\":\"2025-07-28T08:04:05Z\"}]"))
                .orElseThrow();
        assertEquals(MetricsSample.UNKNOWN, partial.cpuPercent());
        assertEquals(MetricsSample.UNKNOWN, partial.memoryBytes());
        assertEquals("2025-07-28T08:04:05Z", partial.at().toString());
    }
}
