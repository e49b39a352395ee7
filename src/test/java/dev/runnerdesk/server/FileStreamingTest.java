package dev.runnerdesk.server;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.testutil.HashingFiles.Digest;
import dev.runnerdesk.testutil.HashingFiles.Generated;
import dev.runnerdesk.testutil.HashingFiles.HashingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

import static dev.runnerdesk.testutil.HashingFiles.liveHeap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 50 MB up and down through the gateway client and serve, with a workspace that keeps no bytes (it hashes what it is
 * sent and makes the same bytes again when read), so the heap in use half way through each transfer — after a full
 * collection, client and server in this one JVM — shows what the path itself holds.
 */
class FileStreamingTest {
    private static final long SIZE = 50L * 1000 * 1000;
    private static final long HALF = SIZE / 2;
    private static final long MAX_LIVE_DELTA = 16L * 1024 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void fiftyMegabytesStreamUpAndDownThroughServeWithTheirHashAndLittleHeap() throws Exception {
        HashingProvider provider = new HashingProvider();
        provider.workspace.measureAt = HALF;
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(provider));
             GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
             RunnerService client = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(),
                     runtime.apiKeys().create("admin", Role.ADMIN), false))) {
            String id = client.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();
            Digest expected = new Digest();
            try (InputStream in = new Generated(SIZE)) {
                in.transferTo(expected);
            }
            String sha = HexFormat.of().formatHex(expected.sha.digest());

            long before = liveHeap();
            long started = System.nanoTime();
            FileEntry written = client.writeFile(id, "big.bin", new Generated(SIZE));
            double upSeconds = (System.nanoTime() - started) / 1e9;
            Digest stored = provider.workspace.files.get(WorkspacePath.parse("path", "big.bin"));
            assertEquals(SIZE, written.size());
            assertEquals(sha, stored.hex(), "the workspace received the bytes sent");
            long upDelta = stored.heapAtHalf - before;

            before = liveHeap();
            Digest received = new Digest(HALF);
            started = System.nanoTime();
            FileEntry read = client.readFile(id, "big.bin", 0, -1, received);
            double downSeconds = (System.nanoTime() - started) / 1e9;
            long downDelta = received.heapAtHalf - before;
            assertEquals(SIZE, received.count);
            assertEquals(sha, received.hex(), "the bytes came back whole");
            assertEquals(SIZE, read.size());

            System.out.printf("50 MB through serve: upload %.2f s, live heap half way %+.1f MiB; download %.2f s, live heap"
                    + " half way %+.1f MiB%n", upSeconds, upDelta / 1048576.0, downSeconds, downDelta / 1048576.0);
            assertTrue(upDelta < MAX_LIVE_DELTA, "the upload held " + upDelta + " bytes");
            assertTrue(downDelta < MAX_LIVE_DELTA, "the download held " + downDelta + " bytes");
        }
    }

    @Test
    void anUploadFarOverTheLimitIsRefusedAsTooLargeNotAsAnUnknownOutcome() throws Exception {
        HashingProvider provider = new HashingProvider();
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(provider));
             GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
             RunnerService client = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(),
                     runtime.apiKeys().create("admin", Role.ADMIN), false))) {
            var policies = client.policies();
            var changed = new java.util.EnumMap<>(policies.profiles());
            changed.put(ToolProfile.LOCKED, policies.profile(ToolProfile.LOCKED).withFiles(new dev.runnerdesk.core.FileAccess(true, 1)));
            client.updatePolicies(new dev.runnerdesk.core.Policies(changed, policies.pii()));
            String id = client.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();

            // 50 MB, of unknown length (chunked), against a 1 MiB limit: the server stops reading past the limit
            RunnerException.TooLarge refused = org.junit.jupiter.api.Assertions.assertThrows(RunnerException.TooLarge.class,
                    () -> client.writeFile(id, "big.bin", new Generated(SIZE)));
            assertEquals(1024 * 1024, refused.limitBytes());
            assertTrue(provider.workspace.files.isEmpty(), "nothing was written");
        }
    }

    /**
     * Issue 18: "downloads stream without holding the file in memory (test with a 2 GB file under a small heap)". The
     * CLI, in a JVM of its own with a 48 MiB heap, downloads 2 GiB through serve to its standard output; what it writes
     * has the file's SHA-256. A download that held the file would end in an OutOfMemoryError.
     */
    @Test
    @org.junit.jupiter.api.Timeout(300)
    void twoGibibytesDownloadThroughTheCliUnderA48MibHeap() throws Exception {
        long size = 2L * 1024 * 1024 * 1024;
        HashingProvider provider = new HashingProvider();
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(provider));
             GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start()) {
            String key = runtime.apiKeys().create("admin", Role.ADMIN);
            String id = runtime.serviceFor(dev.runnerdesk.core.Principal.localUser())
                    .create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();
            // the workspace "has" the 2 GiB file: reading it makes the generated bytes again
            Digest stored = new Digest();
            stored.count = size;
            provider.workspace.files.put(WorkspacePath.parse("path", "huge.bin"), stored);
            Digest expected = new Digest();
            try (InputStream in = new Generated(size)) {
                in.transferTo(expected);
            }
            Path keyFile = java.nio.file.Files.writeString(dataDir.resolve("key"), key);

            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                    "-cp", System.getProperty("java.class.path"), "dev.runnerdesk.cli.Main", "runners", "files", "get",
                    "--gateway", server.baseUrl(), "--api-key-file", keyFile.toString(), id, "huge.bin", "-")
                    .redirectError(dataDir.resolve("cli.err").toFile()).start();
            Digest received = new Digest();
            long started = System.nanoTime();
            try (InputStream out = cli.getInputStream()) {
                out.transferTo(received);
            }
            int exit = cli.waitFor();
            double seconds = (System.nanoTime() - started) / 1e9;
            String err = java.nio.file.Files.readString(dataDir.resolve("cli.err"));
            System.out.printf("2 GiB through serve to the CLI under -Xmx48m: %.1f s, %.0f MB/s%n", seconds, size / seconds / 1e6);
            assertEquals(0, exit, "the CLI succeeded: " + err);
            assertTrue(!err.contains("OutOfMemoryError"), err);
            assertEquals(size, received.count, "all of it came");
            assertEquals(expected.hex(), received.hex(), "the bytes are the file's");
        }
    }
}
