package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.HashingFiles;
import dev.runnerdesk.testutil.HashingFiles.Digest;
import dev.runnerdesk.testutil.HashingFiles.Generated;
import dev.runnerdesk.testutil.HashingFiles.HashingProvider;
import dev.runnerdesk.ui.UiHarness;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18's round trip through the app and serve: a 200 MB file dropped on the Files tab of a runner behind a gateway
 * reaches the workspace with the same SHA-256, and downloaded again comes back with it, the heap in use half way
 * through each transfer (after a full collection; app, client and server share this JVM) staying small. The gateway's
 * workspace keeps only hashes, so the heap shows what the transfer path holds.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(180)
class FilesRoundTripUiTest {
    private static final long SIZE = 200L * 1000 * 1000;
    private static final long MAX_LIVE_DELTA = 32L * 1024 * 1024;
    @TempDir
    static Path dir;
    private final HashingProvider provider = new HashingProvider();
    private EmbeddedRuntime gatewayRuntime;
    private GatewayServer server;
    private UiHarness app;
    private String runnerId;

    @Start
    void start(Stage stage) throws IOException {
        provider.workspace.measureAt = SIZE / 2;
        gatewayRuntime = new EmbeddedRuntime(Files.createDirectories(dir.resolve("gateway")), Clock.systemUTC(), List.of(provider));
        server = new GatewayServer(gatewayRuntime, GatewayServer.Options.defaults().withPort(0)).start();
        String key = gatewayRuntime.apiKeys().create("admin", Role.ADMIN);
        // web_automation allows uploads of 1,024 MiB
        runnerId = gatewayRuntime.serviceFor(Principal.localUser())
                .create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.WEB_AUTOMATION, 3600)).runnerId();
        app = new UiHarness(Files.createDirectories(dir.resolve("app")));
        app.secrets.put(app.gatewayProfile(server.baseUrl(), true).secretName(), key);
        app.show(stage, app.gatewayClient(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
        server.close();
        gatewayRuntime.close();
    }

    @Test
    void twoHundredMegabytesGoUpAndComeBackWithTheirHashAndLittleHeap(FxRobot robot) throws IOException {
        Path local = dir.resolve("big.bin");
        Digest sent = new Digest();
        try (InputStream in = new Generated(SIZE); OutputStream out = Files.newOutputStream(local)) {
            in.transferTo(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    sent.write(b, off, len);
                }
            });
        }
        String sha = sent.hex();
        FilesController files = FilesTabTest.openFiles(robot, runnerId);
        Await.until(fx(() -> files.model.transfers.isEmpty() && !files.view.table.isDisabled()), WAIT, "the tab ready");

        long before = HashingFiles.liveHeap();
        long started = System.nanoTime();
        assertTrue(onFx(() -> files.drop(List.of(local.toFile()))), "the drop is taken");
        Await.until(fx(() -> files.model.transfers.size() == 1 && files.model.transfers.get(0).isFinished()),
                Duration.ofSeconds(120), "the upload finished");
        double upSeconds = (System.nanoTime() - started) / 1e9;
        Digest stored = provider.workspace.files.get(WorkspacePath.parse("path", "big.bin"));
        assertEquals(SIZE, stored.count, "all of it arrived");
        assertEquals(sha, stored.hex(), "the workspace has the bytes dropped");
        long upDelta = stored.heapAtHalf - before;

        robot.interact(files::refresh); // this gateway's workspace cannot be watched: listed again, as F5 does
        Await.until(fx(() -> FilesTabTest.names(files).contains("big.bin")), WAIT, () -> "listed: " + FilesTabTest.names(files));
        Path into = Files.createDirectories(dir.resolve("downloads"));
        Digest received = new Digest(SIZE / 2);
        files.actions.downloadSink = out -> new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                received.write(b, off, len);
            }
        };
        before = HashingFiles.liveHeap();
        started = System.nanoTime();
        robot.interact(() -> files.actions.download(files.view.sorted.stream().filter(e -> e.name().equals("big.bin")).toList(), into));
        Await.until(fx(() -> files.model.transfers.size() == 2 && files.model.transfers.stream().allMatch(Transfer::isFinished)),
                Duration.ofSeconds(120), () -> "the download finished: " + onFx(() -> files.model.transfers.stream()
                        .map(t -> t.name() + " " + t.state()).toList()));
        double downSeconds = (System.nanoTime() - started) / 1e9;
        long downDelta = received.heapAtHalf - before;
        assertEquals(sha, received.hex(), "the bytes came back whole");
        assertEquals(SIZE, Files.size(into.resolve("big.bin")), "saved whole");

        System.out.printf("200 MB through the Files tab and serve: upload %.1f s, live heap half way %+.1f MiB; download %.1f s,"
                + " live heap half way %+.1f MiB%n", upSeconds, upDelta / 1048576.0, downSeconds, downDelta / 1048576.0);
        assertTrue(upDelta < MAX_LIVE_DELTA, "the upload held " + upDelta + " bytes");
        assertTrue(downDelta < MAX_LIVE_DELTA, "the download held " + downDelta + " bytes");
    }
}
