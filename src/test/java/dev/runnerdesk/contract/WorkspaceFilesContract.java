package dev.runnerdesk.contract;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The workspace-files and metrics part of the {@link RunnerService} contract (issue 18), run with the rest of
 * {@link RunnerServiceContract} against every backend. A backend that has no files yet turns them off with
 * {@link #supportsFiles()}, and one whose provider cannot sample with {@link #supportsMetrics()}: those tests then
 * skip, saying why, instead of failing.
 */
public abstract class WorkspaceFilesContract {

    /** The service as an admin. */
    protected abstract RunnerService admin();

    /** The same backend as a caller with {@code role}. */
    protected abstract RunnerService as(Role role);

    /** The provider the suite's runners live in; a backend with another provider overrides it. */
    protected ProviderType providerType() {
        return ProviderType.FAKE;
    }

    /** Whether this backend serves workspace files; off only for backends that do not have them yet. */
    protected boolean supportsFiles() {
        return true;
    }

    /** Whether this backend's provider reports metrics. */
    protected boolean supportsMetrics() {
        return supportsFiles();
    }

    private Runner filesRunner() {
        assumeTrue(supportsFiles(), "this backend has no workspace files yet");
        return admin().create(new CreateRunnerRequest(providerType(), ToolProfile.LOCKED, 3600));
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(RunnerService service, String runnerId, String path, long offset, long length) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        service.readFile(runnerId, path, offset, length, sink);
        return sink.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The runner's events of {@code type}, newest first. */
    private List<AuditEvent> events(String runnerId, String type) {
        return admin().events(EventQuery.ofRunner(runnerId, 1000)).events().stream()
                .filter(e -> e.eventType().equals(type)).toList();
    }

    private static long number(AuditEvent e, String key) {
        return ((Number) e.data().get(key)).longValue();
    }

    private void setLockedFiles(FileAccess files) {
        Policies policies = admin().policies();
        EnumMap<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
        profiles.put(ToolProfile.LOCKED, policies.profile(ToolProfile.LOCKED).withFiles(files));
        admin().updatePolicies(new Policies(profiles, policies.pii()));
    }

    private static void assertField(String field, Executable call) {
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class, call);
        assertEquals(Optional.of(field), e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void aFileRoundTripsThroughWriteStatListAndReadWithItsHashInTheEvents() {
        Runner r = filesRunner();
        String id = r.runnerId();
        byte[] data = new byte[200_000];
        new Random(18).nextBytes(data);
        admin().makeFolder(id, "src");
        FileEntry written = admin().writeFile(id, "src/data.bin", new ByteArrayInputStream(data));
        assertEquals("src/data.bin", written.path());
        assertEquals("data.bin", written.name());
        assertEquals(FileEntry.Kind.FILE, written.kind());
        assertEquals(data.length, written.size());
        admin().writeFile(id, "a.txt", bytes("first"));

        FileEntry stat = admin().statFile(id, "/src/./data.bin");
        assertEquals(FileEntry.Kind.FILE, stat.kind());
        assertEquals(data.length, stat.size());
        assertEquals(List.of("src", "a.txt"), admin().listFiles(id, "/").stream().map(FileEntry::name).toList(),
                "folders come first, then files by name");
        assertEquals(List.of("src/data.bin"), admin().listFiles(id, "src").stream().map(FileEntry::path).toList());

        assertArrayEquals(data, read(admin(), id, "src/data.bin", 0, -1));
        byte[] part = Arrays.copyOfRange(data, 10, 110);
        assertArrayEquals(part, read(admin(), id, "src/data.bin", 10, 100));
        assertArrayEquals(Arrays.copyOfRange(data, data.length - 5, data.length),
                read(admin(), id, "src/data.bin", data.length - 5, 100), "a length past the end reads to the end");

        AuditEvent upload = events(id, EventTypes.FILE_WRITTEN).stream()
                .filter(e -> "src/data.bin".equals(e.data().get("path"))).findFirst().orElseThrow();
        assertEquals(sha256(data), upload.data().get("sha256"));
        assertEquals(data.length, number(upload, "size"));
        assertEquals(false, upload.data().get("replaced"));
        List<AuditEvent> downloads = events(id, EventTypes.FILE_READ);
        assertEquals(3, downloads.size());
        AuditEvent partial = downloads.get(1);
        assertEquals(sha256(part), partial.data().get("sha256"), "the hash is of the bytes sent");
        assertEquals(10, number(partial, "offset"));
        assertEquals(100, number(partial, "size"));
        assertEquals(sha256(data), downloads.get(2).data().get("sha256"));

        admin().writeFile(id, "a.txt", bytes("second"));
        AuditEvent replaced = events(id, EventTypes.FILE_WRITTEN).get(0);
        assertEquals(true, replaced.data().get("replaced"));
        assertEquals(sha256("second".getBytes(StandardCharsets.UTF_8)), replaced.data().get("sha256"));
        assertEquals("second", new String(read(admin(), id, "a.txt", 0, -1), StandardCharsets.UTF_8));
    }

    @Test
    void foldersMoveAndDeleteWithConflictsForWhatIsAlreadyThere() {
        String id = filesRunner().runnerId();
        FileEntry made = admin().makeFolder(id, "a/b/c");
        assertEquals(FileEntry.Kind.FOLDER, made.kind());
        admin().makeFolder(id, "a/b/c"); // an existing folder is not an error
        byte[] text = "keep me".getBytes(StandardCharsets.UTF_8);
        admin().writeFile(id, "a/b/c/f.txt", new ByteArrayInputStream(text));

        FileEntry moved = admin().moveFile(id, "a/b/c/f.txt", "a/g.txt");
        assertEquals("a/g.txt", moved.path());
        assertThrows(RunnerException.NotFound.class, () -> admin().statFile(id, "a/b/c/f.txt"));
        AuditEvent move = events(id, EventTypes.FILE_MOVED).get(0);
        assertEquals("a/b/c/f.txt", move.data().get("from"));
        assertEquals("a/g.txt", move.data().get("to"));
        assertEquals("file", move.data().get("kind"));

        admin().writeFile(id, "a/h.txt", bytes("other"));
        assertThrows(RunnerException.Conflict.class, () -> admin().moveFile(id, "a/g.txt", "a/h.txt"));
        assertEquals("other", new String(read(admin(), id, "a/h.txt", 0, -1), StandardCharsets.UTF_8), "never replaced");
        assertEquals(1, events(id, EventTypes.FILE_MOVED).size(), "a refused move is no event");
        assertThrows(RunnerException.NotFound.class, () -> admin().moveFile(id, "nothing.txt", "a/x.txt"));

        admin().deleteFile(id, "a/g.txt", false);
        AuditEvent deletedFile = events(id, EventTypes.FILE_DELETED).get(0);
        assertEquals("a/g.txt", deletedFile.data().get("path"));
        assertEquals("file", deletedFile.data().get("kind"));
        assertEquals(text.length, number(deletedFile, "size"));
        assertEquals(sha256(text), deletedFile.data().get("sha256"));

        assertThrows(RunnerException.Conflict.class, () -> admin().deleteFile(id, "a", false));
        assertEquals(FileEntry.Kind.FOLDER, admin().statFile(id, "a").kind(), "a refused delete leaves it all");
        admin().deleteFile(id, "a", true);
        assertThrows(RunnerException.NotFound.class, () -> admin().statFile(id, "a"));
        assertThrows(RunnerException.NotFound.class, () -> admin().deleteFile(id, "a", true));
        AuditEvent deletedFolder = events(id, EventTypes.FILE_DELETED).get(0);
        assertEquals("folder", deletedFolder.data().get("kind"));
        assertEquals(true, deletedFolder.data().get("recursive"));
        assertEquals(List.of(), admin().listFiles(id, ""));
    }

    @Test
    void pathsThatLeaveTheWorkspaceAreRefusedNamingTheField() {
        String id = filesRunner().runnerId();
        admin().writeFile(id, "inside.txt", bytes("x"));
        assertField("path", () -> admin().readFile(id, "../etc/passwd", 0, -1, new ByteArrayOutputStream()));
        assertField("path", () -> admin().readFile(id, "/../../etc/passwd", 0, -1, new ByteArrayOutputStream()));
        assertField("folder", () -> admin().listFiles(id, "a/../../x"));
        assertField("path", () -> admin().writeFile(id, "sub/../../escape.txt", bytes("x")));
        assertField("to", () -> admin().moveFile(id, "inside.txt", "../outside.txt"));
        assertField("from", () -> admin().moveFile(id, "../x", "y"));
        assertField("path", () -> admin().deleteFile(id, "..", true));
        assertField("path", () -> admin().deleteFile(id, "/", true));
        // a leading "/" is the workspace's root: an absolute path names a file in the workspace, never the host's
        assertThrows(RunnerException.NotFound.class, () -> admin().statFile(id, "/etc/passwd"));
        assertEquals("inside.txt", admin().statFile(id, "/inside.txt").path());
        assertEquals(List.of(), events(id, EventTypes.FILE_READ), "nothing refused was read");
    }

    @Test
    void anUploadOverTheProfilesLimitIsTooLargeAndChangesNothing() {
        String id = filesRunner().runnerId();
        setLockedFiles(new FileAccess(true, 1));
        admin().writeFile(id, "kept.bin", bytes("old"));
        int eventsBefore = events(id, EventTypes.FILE_WRITTEN).size();
        byte[] big = new byte[1024 * 1024 + 1];
        RunnerException.TooLarge e = assertThrows(RunnerException.TooLarge.class,
                () -> admin().writeFile(id, "big.bin", new ByteArrayInputStream(big)));
        assertEquals(1024 * 1024, e.limitBytes());
        assertThrows(RunnerException.NotFound.class, () -> admin().statFile(id, "big.bin"));
        assertThrows(RunnerException.TooLarge.class, () -> admin().writeFile(id, "kept.bin", new ByteArrayInputStream(big)));
        assertEquals("old", new String(read(admin(), id, "kept.bin", 0, -1), StandardCharsets.UTF_8));
        assertEquals(eventsBefore, events(id, EventTypes.FILE_WRITTEN).size(), "a refused upload claims nothing");
        assertEquals(1024 * 1024, admin().writeFile(id, "exact.bin", new ByteArrayInputStream(new byte[1024 * 1024])).size(),
                "exactly the limit is allowed");
    }

    @Test
    void viewersAndAuditorsListAndDownloadOnlyWhereThePolicyAllowsAndNeverWrite() {
        String id = filesRunner().runnerId();
        admin().writeFile(id, "notes.txt", bytes("notes"));
        setLockedFiles(new FileAccess(false, 16));
        int writes = events(id, EventTypes.FILE_WRITTEN).size();
        for (Role role : List.of(Role.VIEWER, Role.AUDITOR)) {
            RunnerService reader = as(role);
            assertEquals(List.of("notes.txt"), reader.listFiles(id, "").stream().map(FileEntry::name).toList());
            assertEquals(5, reader.statFile(id, "notes.txt").size());
            int deniedBefore = events(id, EventTypes.AUTH_DENIED).size();
            RunnerException e = assertThrows(RunnerException.Forbidden.class, () -> read(reader, id, "notes.txt", 0, -1));
            assertTrue(e.getMessage().contains(role.wireName()) && e.getMessage().contains("operator or admin"), e.getMessage());
            AuditEvent denied = events(id, EventTypes.AUTH_DENIED).get(0);
            assertEquals("download workspace files", denied.data().get("action"));
            assertEquals(role.wireName(), denied.data().get("role"));
            assertThrows(RunnerException.Forbidden.class, () -> reader.writeFile(id, "notes.txt", bytes("changed")));
            assertEquals("upload workspace files", events(id, EventTypes.AUTH_DENIED).get(0).data().get("action"));
            assertThrows(RunnerException.Forbidden.class, () -> reader.makeFolder(id, "new"));
            assertThrows(RunnerException.Forbidden.class, () -> reader.moveFile(id, "notes.txt", "moved.txt"));
            assertThrows(RunnerException.Forbidden.class, () -> reader.deleteFile(id, "notes.txt", false));
            assertEquals(deniedBefore + 5, events(id, EventTypes.AUTH_DENIED).size(), "each refusal is audited");
        }
        assertEquals("notes", new String(read(admin(), id, "notes.txt", 0, -1), StandardCharsets.UTF_8), "nothing changed");
        assertEquals(writes, events(id, EventTypes.FILE_WRITTEN).size(), "no refused write left an event");

        setLockedFiles(new FileAccess(true, 16));
        for (Role role : List.of(Role.VIEWER, Role.AUDITOR)) {
            assertEquals("notes", new String(read(as(role), id, "notes.txt", 0, -1), StandardCharsets.UTF_8));
            AuditEvent download = events(id, EventTypes.FILE_READ).get(0);
            assertTrue(download.actor().contains(role.wireName()), download.actor());
            assertThrows(RunnerException.Forbidden.class, () -> as(role).writeFile(id, "notes.txt", bytes("changed")),
                    "downloading never lets a viewer write");
        }
    }

    @Test
    void anOperatorWritesMovesAndDeletes() {
        String id = filesRunner().runnerId();
        setLockedFiles(new FileAccess(false, 16));
        RunnerService operator = as(Role.OPERATOR);
        operator.makeFolder(id, "out");
        operator.writeFile(id, "out/result.txt", bytes("42"));
        assertEquals("42", new String(read(operator, id, "out/result.txt", 0, -1), StandardCharsets.UTF_8),
                "operators download whatever viewers may");
        operator.moveFile(id, "out/result.txt", "result.txt");
        operator.deleteFile(id, "out", false);
        assertEquals(List.of("result.txt"), operator.listFiles(id, "").stream().map(FileEntry::name).toList());
        for (String type : List.of(EventTypes.FILE_WRITTEN, EventTypes.FILE_READ, EventTypes.FILE_MOVED, EventTypes.FILE_DELETED)) {
            assertTrue(events(id, type).get(0).actor().contains("operator"), type + " by the operator");
        }
    }

    @Test
    void anEndedRunnerHasNoFilesNorMetrics() {
        String id = filesRunner().runnerId();
        admin().writeFile(id, "a.txt", bytes("a"));
        admin().terminate(id);
        RunnerException e = assertThrows(RunnerException.Conflict.class, () -> admin().listFiles(id, ""));
        assertTrue(e.getMessage().contains("terminated"), e.getMessage());
        assertThrows(RunnerException.Conflict.class, () -> admin().statFile(id, "a.txt"));
        assertThrows(RunnerException.Conflict.class, () -> read(admin(), id, "a.txt", 0, -1));
        assertThrows(RunnerException.Conflict.class, () -> admin().writeFile(id, "b.txt", bytes("b")));
        assertThrows(RunnerException.Conflict.class, () -> admin().deleteFile(id, "a.txt", false));
        assertThrows(RunnerException.Conflict.class, () -> admin().metrics(id, Instant.EPOCH));
        assertThrows(RunnerException.NotFound.class, () -> admin().listFiles("runner_000000000000", ""));
    }

    @Test
    void metricsAnswerAtOnceWithSamplesSayingWhereTheyComeFrom() {
        Runner r = filesRunner();
        assumeTrue(supportsMetrics(), "this backend's provider reports no metrics yet");
        admin().writeFile(r.runnerId(), "data.bin", new ByteArrayInputStream(new byte[4096]));
        List<MetricsSample> samples = as(Role.VIEWER).metrics(r.runnerId(), Instant.EPOCH);
        assertFalse(samples.isEmpty(), "the first question takes a sample at once");
        MetricsSample last = samples.get(samples.size() - 1);
        assertFalse(last.source().isBlank());
        assertTrue(last.cpuPercent() >= 0 || last.cpuPercent() == MetricsSample.UNKNOWN, String.valueOf(last.cpuPercent()));
        if (providerType() == ProviderType.FAKE) {
            assertEquals("synthetic", last.source());
            assertEquals(4096, last.diskBytes());
            assertEquals(admin().policies().profile(ToolProfile.LOCKED).limits().memoryBytes(), last.memoryLimitBytes());
        }
        assertTrue(admin().metrics(r.runnerId(), last.at()).stream().allMatch(s -> s.at().isAfter(last.at())),
                "only samples after since");
    }

    @Test
    void aWatchHearsAWriteInItsFolder() {
        String id = filesRunner().runnerId();
        admin().makeFolder(id, "watched");
        List<String> heard = new CopyOnWriteArrayList<>();
        try (Subscription watch = as(Role.VIEWER).watchFiles(id, "watched",
                (change, path) -> heard.add(change + " " + path))) {
            admin().writeFile(id, "watched/new.txt", bytes("hello"));
            Await.until(() -> heard.contains("CREATED watched/new.txt"), Duration.ofSeconds(10), () -> "the watch to hear "
                    + "the write; heard " + heard);
        }
        assertThrows(RunnerException.Forbidden.class, () -> as(Role.VIEWER).makeFolder(id, "watched/more"));
    }

    @Test
    void fileEventsJoinTheHashChainAndTheTrailStillVerifies() {
        String id = filesRunner().runnerId();
        admin().writeFile(id, "chain.txt", bytes("chained"));
        read(admin(), id, "chain.txt", 0, -1);
        admin().moveFile(id, "chain.txt", "linked.txt");
        admin().deleteFile(id, "linked.txt", false);
        RunnerService auditor = as(Role.AUDITOR);
        ChainVerification verified = auditor.verifyAudit(1, Long.MAX_VALUE, AuditProgress.NONE);
        assertTrue(verified.isVerified(), verified.describe());
        List<AuditEvent> trail = auditor.auditEvents(0, RunnerService.AUDIT_PAGE_LIMIT);
        assertTrue(AuditChain.verify(trail, AuditChain.GENESIS).isVerified(), "the file events are links of the chain");
        List<String> fileTypes = trail.stream().map(AuditEvent::eventType).filter(t -> t.startsWith("file.")).toList();
        assertEquals(List.of(EventTypes.FILE_WRITTEN, EventTypes.FILE_READ, EventTypes.FILE_MOVED, EventTypes.FILE_DELETED),
                fileTypes);
    }
}
