package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.provider.fake.FakeWorkspace;
import dev.runnerdesk.testutil.Await;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the embedded runtime over the fake provider can show: symlinks, the workspace budget, broken transfers. */
class WorkspaceFilesTest {
    @TempDir
    Path dataDir;
    private final FakeProvider fake = new FakeProvider();
    private EmbeddedRuntime runtime;
    private RunnerService service;
    private String id;
    private FakeWorkspace workspace;

    @BeforeEach
    void open() {
        runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(fake));
        service = runtime.serviceFor(Principal.localUser());
        id = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();
        workspace = fake.workspace("fake-" + id);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private static ByteArrayInputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(String path) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        service.readFile(id, path, 0, -1, sink);
        return sink.toString(StandardCharsets.UTF_8);
    }

    private List<AuditEvent> events(String type) {
        return service.events(EventQuery.ofRunner(id, 1000)).events().stream().filter(e -> e.eventType().equals(type)).toList();
    }

    @Test
    void symlinksAreListedAsSuchAndFollowedOnlyInsideTheWorkspace() {
        service.makeFolder(id, "real");
        service.writeFile(id, "real/doc.txt", text("inside"));
        workspace.symlink(WorkspacePath.parse("path", "docs"), "real");
        workspace.symlink(WorkspacePath.parse("path", "out"), "../../etc");
        workspace.symlink(WorkspacePath.parse("path", "abs"), "/etc/passwd");

        FileEntry link = service.statFile(id, "out");
        assertEquals(FileEntry.Kind.SYMLINK, link.kind());
        assertEquals(Optional.of("../../etc"), link.linkTarget());
        assertEquals(List.of("real", "abs", "docs", "out"), service.listFiles(id, "").stream().map(FileEntry::name).toList());
        assertEquals("inside", read("docs/doc.txt"), "a link that stays inside is followed");

        RunnerException.Forbidden out = assertThrows(RunnerException.Forbidden.class, () -> read("out/passwd"));
        assertTrue(out.getMessage().contains("out of the workspace"), out.getMessage());
        assertThrows(RunnerException.Forbidden.class, () -> read("abs"));
        assertThrows(RunnerException.Forbidden.class, () -> service.writeFile(id, "out/planted", text("x")));
        assertThrows(RunnerException.Forbidden.class, () -> service.listFiles(id, "out"));
        assertEquals(List.of("docs/doc.txt"), events(EventTypes.FILE_READ).stream().map(e -> e.data().get("path")).toList(),
                "only the read inside is an event: nothing was read through a link out");

        service.deleteFile(id, "docs", false);
        assertEquals("inside", read("real/doc.txt"), "deleting a link leaves what it points at");
        assertEquals("symlink", events(EventTypes.FILE_DELETED).get(0).data().get("kind"));
    }

    @Test
    void theWorkspaceHoldsNoMoreThanItsProfilesDiskLimit() {
        Policies policies = service.policies();
        EnumMap<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
        ProfilePolicy locked = policies.profile(ToolProfile.LOCKED);
        ResourceLimits l = locked.limits();
        profiles.put(ToolProfile.LOCKED, locked.withLimits(new ResourceLimits(l.maxProcesses(), l.memoryMib(), 1, l.tmpMib(),
                l.cpuPercent())).withFiles(new FileAccess(true, 64)));
        service.updatePolicies(new Policies(profiles, policies.pii()));
        String small = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();

        service.writeFile(small, "one.bin", new ByteArrayInputStream(new byte[700 * 1024]));
        RunnerException.TooLarge full = assertThrows(RunnerException.TooLarge.class,
                () -> service.writeFile(small, "two.bin", new ByteArrayInputStream(new byte[700 * 1024])));
        assertTrue(full.getMessage().contains("full"), full.getMessage());
        assertThrows(RunnerException.NotFound.class, () -> service.statFile(small, "two.bin"));
        service.writeFile(small, "one.bin", new ByteArrayInputStream(new byte[900 * 1024])); // replacing frees the old bytes
        assertEquals(900 * 1024, fake.workspace("fake-" + small).usedBytes());
    }

    @Test
    void aDownloadThatBreaksOffIsRecordedWithWhatWasSent() {
        byte[] data = new byte[300 * 1024];
        service.writeFile(id, "big.bin", new ByteArrayInputStream(data));
        long[] sent = {0};
        OutputStream breaking = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (sent[0] >= 64 * 1024) {
                    throw new IOException("the downloader went away");
                }
                sent[0] += len;
            }
        };
        assertThrows(RunnerException.class, () -> service.readFile(id, "big.bin", 0, -1, breaking));
        AuditEvent partial = events(EventTypes.FILE_READ).get(0);
        assertEquals(true, partial.data().get("incomplete"));
        assertEquals(sent[0], ((Number) partial.data().get("size")).longValue());
    }

    @Test
    void anUploadThatBreaksOffWritesNothingAndClaimsNothing() {
        InputStream breaking = new InputStream() {
            private int given;

            @Override
            public int read() throws IOException {
                if (given++ > 1000) {
                    throw new IOException("the uploader went away");
                }
                return 'x';
            }
        };
        assertThrows(RunnerException.class, () -> service.writeFile(id, "cut.txt", breaking));
        assertThrows(RunnerException.NotFound.class, () -> service.statFile(id, "cut.txt"));
        assertEquals(List.of(), events(EventTypes.FILE_WRITTEN));
    }

    @Test
    void aWatchHearsWritesMovesAndDeletesInItsFolderAndEndsWithTheRunner() {
        service.makeFolder(id, "w");
        List<String> heard = new CopyOnWriteArrayList<>();
        List<RunnerException> ended = new CopyOnWriteArrayList<>();
        service.watchFiles(id, "w", new FileWatchListener() {
            @Override
            public void onChange(Change change, String path) {
                heard.add(change + " " + path);
            }

            @Override
            public void onEnded(RunnerException why) {
                ended.add(why);
            }
        });
        service.writeFile(id, "w/a.txt", text("1"));
        service.writeFile(id, "w/a.txt", text("2"));
        service.writeFile(id, "elsewhere.txt", text("not in the folder"));
        service.moveFile(id, "w/a.txt", "w/b.txt");
        service.deleteFile(id, "w/b.txt", false);
        List<String> expected = List.of("CREATED w/a.txt", "WRITTEN w/a.txt", "RENAMED w/a.txt", "CREATED w/b.txt", "REMOVED w/b.txt");
        Await.until(() -> heard.equals(expected), Duration.ofSeconds(10),
                () -> expected + " in order; heard " + heard);
        service.terminate(id);
        Await.until(() -> ended.size() == 1, Duration.ofSeconds(10),
                () -> "the watch to end with the runner");
    }
}
