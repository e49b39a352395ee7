package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.WorkspaceFiles;
import dev.runnerdesk.testutil.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local provider's workspace files: round trips, the size limit, atomic replacement, and confinement against a
 * hostile agent — links to outside (absolute and relative), a folder swapped for a link while operations run, hard
 * links — with a canary folder outside the workspace that must never be read or written.
 */
class LocalWorkspaceFilesTest {
    private static final int RENAME_EXCHANGE = 2;

    @TempDir
    Path dataDir;
    @TempDir
    Path outside;
    private LocalRunner runner;
    private WorkspaceFiles files;
    private Path canary;

    @BeforeEach
    void open() throws IOException {
        runner = new LocalRunner(dataDir, ToolProfile.FULL_VM_TOOLS);
        files = runner.provider.files(runner.ref);
        canary = outside.resolve("canary");
        Files.createDirectory(canary);
        Files.writeString(canary.resolve("f"), "CANARY");
        Files.writeString(canary.resolve("canary-only"), "CANARY");
    }

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private static WorkspacePath p(String path) {
        return WorkspacePath.parse("path", path);
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(WorkspaceFiles f, String path, long offset, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.read(p(path), offset, length, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The files the other way, with the openat(O_NOFOLLOW) walk a kernel without openat2 gets. */
    private WorkspaceFiles walking() {
        Path ws = runner.workspace();
        return new LocalWorkspaceFiles(() -> ws, true, new LocalWatches());
    }

    private void assertCanaryUntouched() throws IOException {
        try (Stream<Path> left = Files.list(canary)) {
            assertEquals(List.of("canary-only", "f"), left.map(x -> x.getFileName().toString()).sorted().toList());
        }
        assertEquals("CANARY", Files.readString(canary.resolve("f")));
    }

    @Test
    void aFolderWithMoreEntriesThanAListingHoldsIsRefusedNotReadWhole() {
        files.makeFolder(p("many"));
        for (int i = 0; i < WorkspaceFiles.MAX_LISTED; i++) {
            files.makeFolder(p("many/d" + i));
        }
        assertEquals(WorkspaceFiles.MAX_LISTED, files.list(p("many")).size(), "as many as a listing holds");
        files.makeFolder(p("many/one-more"));
        RunnerException.TooLarge refused = assertThrows(RunnerException.TooLarge.class, () -> files.list(p("many")));
        assertTrue(refused.getMessage().contains("more than 10,000 entries"), refused.getMessage());
        files.delete(p("many"), true);
    }

    @ParameterizedTest(name = "walk only: {0}")
    @ValueSource(booleans = {false, true})
    void filesGoThereAndBackWithOffsetsMovesAndDeletes(boolean walkOnly) {
        WorkspaceFiles f = walkOnly ? walking() : files;
        FileEntry folder = f.makeFolder(p("src"));
        assertEquals(FileEntry.Kind.FOLDER, folder.kind());
        assertEquals(FileEntry.Kind.FOLDER, f.makeFolder(p("src")).kind(), "an existing folder is kept, not an error");
        assertEquals("deep/er/est", f.makeFolder(p("deep/er/est")).path(), "the folders on the way are made");
        f.delete(p("deep"), true);
        FileEntry written = f.write(p("/src/main.py"), bytes("print('hello')\n"), 1000);
        assertEquals(new FileEntry("src/main.py", "main.py", FileEntry.Kind.FILE, 15, 0644, written.modified(),
                java.util.Optional.empty()), written);
        f.write(p("top.txt"), bytes("0123456789"), 1000);
        assertThrows(RunnerException.Conflict.class, () -> f.makeFolder(p("top.txt")), "a file of that name");
        assertThrows(RunnerException.NotFound.class, () -> f.makeFolder(p("top.txt/inner")), "a file on the way");
        f.write(p("src/héllo wörld ✓.txt"), bytes("unicode"), 1000);
        assertEquals("unicode", read(f, "src/héllo wörld ✓.txt", 0, -1));
        assertEquals(List.of("héllo wörld ✓.txt", "main.py"), f.list(p("src")).stream().map(FileEntry::name).toList());
        f.delete(p("src/héllo wörld ✓.txt"), false);
        assertEquals("print('hello')\n", read(f, "src/main.py", 0, -1));
        assertEquals("3456", read(f, "top.txt", 3, 4));
        assertEquals("89", read(f, "top.txt", 8, 100));
        assertEquals("", read(f, "top.txt", 50, -1));
        assertEquals(List.of("src", "top.txt"), f.list(WorkspacePath.ROOT).stream().map(FileEntry::name).toList());
        assertEquals(10, f.stat(p("top.txt")).size());
        assertEquals("src/app.py", f.move(p("src/main.py"), p("src/app.py")).path());
        assertThrows(RunnerException.Conflict.class, () -> f.move(p("top.txt"), p("src/app.py")), "no silent replace");
        assertThrows(RunnerException.InvalidRequest.class, () -> f.move(p("src"), p("src/inner")));
        assertThrows(RunnerException.NotFound.class, () -> f.read(p("src/main.py"), 0, -1, OutputStream.nullOutputStream()));
        assertThrows(RunnerException.Conflict.class, () -> f.delete(p("src"), false), "not empty");
        f.delete(p("top.txt"), false);
        f.delete(p("src"), true);
        assertEquals(List.of(), f.list(WorkspacePath.ROOT));
        assertThrows(RunnerException.NotFound.class, () -> f.stat(p("src")));
    }

    @Test
    void theSandboxUserOwnsWhatIsWrittenAndTheReverse() {
        files.write(p("in.txt"), bytes("from outside\n"), 1000);
        ExecOutcome inside = runner.sh("echo appended >> /workspace/in.txt && stat -c %u /workspace/in.txt"
                + " && mkdir /workspace/made && echo from inside > /workspace/made/out.txt");
        assertEquals(0, inside.exitCode(), inside.stderr());
        assertEquals("1000\n", inside.stdout(), "the sandbox's user owns what RunnerDesk wrote");
        assertEquals("from outside\nappended\n", read(files, "in.txt", 0, -1));
        assertEquals("from inside\n", read(files, "made/out.txt", 0, -1));
        files.delete(p("made"), true);
        assertEquals(List.of("in.txt"), files.list(WorkspacePath.ROOT).stream().map(FileEntry::name).toList());
    }

    @Test
    void anUploadOverTheLimitIsRefusedAndChangesNothing() {
        files.write(p("keep.txt"), bytes("old"), 100);
        RunnerException.TooLarge e = assertThrows(RunnerException.TooLarge.class,
                () -> files.write(p("keep.txt"), new ByteArrayInputStream(new byte[200_000]), 100_000));
        assertEquals(100_000, e.limitBytes());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        assertEquals("old", read(files, "keep.txt", 0, -1));
        assertThrows(RunnerException.TooLarge.class, () -> files.write(p("new.txt"), bytes("12345"), 4));
        assertEquals(List.of("keep.txt"), files.list(WorkspacePath.ROOT).stream().map(FileEntry::name).toList(),
                "no temporary file left behind");
        files.write(p("exact.txt"), bytes("1234"), 4);
    }

    @Test
    void aReaderSeesTheOldFileOrTheNewNeverPartOfOne() throws Exception {
        int size = 512 * 1024;
        files.write(p("f"), new ByteArrayInputStream(filled(size, 'a')), size);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                files.write(p("f"), new ByteArrayInputStream(filled(size, i % 2 == 0 ? 'b' : 'a')), size);
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 300; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                files.read(p("f"), 0, -1, out);
                byte[] got = out.toByteArray();
                assertEquals(size, got.length, "read " + i);
                assertArrayEquals(filled(size, got[0]), got, "read " + i + " mixes two versions");
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    private static byte[] filled(int size, int b) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    @ParameterizedTest(name = "walk only: {0}")
    @ValueSource(booleans = {false, true})
    void linksThatLeadOutAreListedButNeverFollowed(boolean walkOnly) throws IOException {
        WorkspaceFiles f = walkOnly ? walking() : files;
        Path ws = runner.workspace();
        Files.createSymbolicLink(ws.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(ws.resolve("out"), canary);
        Files.createSymbolicLink(ws.resolve("up"), Path.of("../../../../../../.."));
        Files.createSymbolicLink(ws.resolve("secret"), canary.resolve("f"));
        Files.createDirectory(ws.resolve("dir"));
        Files.createSymbolicLink(ws.resolve("dir/inside"), Path.of("../dir"));
        Files.writeString(ws.resolve("plain"), "plain");

        FileEntry etc = f.list(WorkspacePath.ROOT).stream().filter(e -> e.name().equals("etc")).findFirst().orElseThrow();
        assertEquals(FileEntry.Kind.SYMLINK, etc.kind());
        assertEquals("/etc", etc.linkTarget().orElseThrow());
        assertEquals("../../../../../../..", f.stat(p("up")).linkTarget().orElseThrow());
        for (String through : List.of("etc", "out", "up", "dir/inside")) {
            assertThrows(RunnerException.Forbidden.class, () -> f.list(p(through)), through);
            assertThrows(RunnerException.Forbidden.class, () -> f.read(p(through + "/f"), 0, -1,
                    OutputStream.nullOutputStream()), through);
            assertThrows(RunnerException.Forbidden.class, () -> f.write(p(through + "/new"), bytes("x"), 10), through);
            assertThrows(RunnerException.Forbidden.class, () -> f.makeFolder(p(through + "/new")), through);
            assertThrows(RunnerException.Forbidden.class, () -> f.delete(p(through + "/f"), true), through);
            assertThrows(RunnerException.Forbidden.class, () -> f.move(p(through + "/f"), p("stolen")), through);
            assertThrows(RunnerException.Forbidden.class, () -> f.move(p("plain"), p(through + "/moved")), through);
            assertThrows(RunnerException.Forbidden.class, () -> f.watch(p(through), (c, x) -> { }), through);
        }
        RunnerException refused = assertThrows(RunnerException.Forbidden.class,
                () -> f.read(p("secret"), 0, -1, OutputStream.nullOutputStream()));
        assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
        assertThrows(RunnerException.Forbidden.class, () -> f.read(p("etc/hostname"), 0, -1, OutputStream.nullOutputStream()));
        // writing over a link replaces the link with a file; its target is never opened
        f.write(p("secret"), bytes("replaced"), 100);
        assertEquals(FileEntry.Kind.FILE, f.stat(p("secret")).kind());
        f.delete(p("out"), true);
        f.delete(p("etc"), false);
        f.delete(p("dir"), true);
        assertTrue(Files.exists(Path.of("/etc/hostname")) || Files.exists(Path.of("/etc/passwd")));
        assertEquals(List.of("plain", "secret", "up"), f.list(WorkspacePath.ROOT).stream().map(FileEntry::name).toList());
        assertCanaryUntouched();
    }

    @Test
    void aHardLinkToAFileOutsideCannotBeMade() {
        // the workspace is a file system of its own: the kernel refuses a link across (EXDEV), for root too
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> Files.createLink(runner.workspace().resolve("hard"), canary.resolve("f")));
        assertTrue(String.valueOf(e.getReason()).contains("cross-device"), String.valueOf(e.getReason()));
    }

    /**
     * A thread swaps folder "d" with a link to the canary folder (renameat2 RENAME_EXCHANGE: atomic, so "d" is always
     * one or the other) as fast as it can, while every operation runs through "d" many times.
     */
    @ParameterizedTest(name = "walk only: {0}")
    @ValueSource(booleans = {false, true})
    void aFolderSwappedForALinkDuringOperationsNeverLeadsOut(boolean walkOnly) throws Exception {
        WorkspaceFiles f = walkOnly ? walking() : files;
        Path ws = runner.workspace();
        Files.createDirectory(ws.resolve("d"));
        Files.writeString(ws.resolve("d/f"), "INSIDE");
        Files.createSymbolicLink(ws.resolve("swap"), canary);
        String d = ws.resolve("d").toString();
        String swap = ws.resolve("swap").toString();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        Thread swapper = new Thread(() -> {
            while (!stop.get()) {
                if (LibC.get().renameat2(-100, d, -100, swap, RENAME_EXCHANGE) == 0) {
                    swaps.incrementAndGet();
                }
            }
        });
        swapper.start();
        int done = 0;
        int refused = 0;
        ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
        try {
            for (int i = 0; i < 1500; i++) {
                try {
                    switch (i % 5) {
                        case 0 -> {
                            String got = read(f, "d/f", 0, -1);
                            if (!got.equals("INSIDE")) {
                                leaks.add("read " + got);
                            }
                        }
                        case 1 -> f.write(p("d/w" + i), bytes("X"), 10);
                        case 2 -> f.list(p("d")).stream().filter(e -> e.name().startsWith("canary"))
                                .forEach(e -> leaks.add("listed " + e.name()));
                        case 3 -> f.makeFolder(p("d/m" + i));
                        default -> f.delete(p("d/m" + (i - 1)), true);
                    }
                    done++;
                } catch (RunnerException.Forbidden | RunnerException.NotFound e) {
                    refused++;
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        System.out.println("walk only " + walkOnly + ": " + swaps.get() + " swaps, " + done + " operations done, " + refused
                + " refused");
        assertEquals(List.of(), List.copyOf(leaks));
        assertCanaryUntouched();
        assertTrue(swaps.get() > 100, "the folder was swapped " + swaps.get() + " times");
        assertTrue(done > 0 && refused > 0, done + " done, " + refused + " refused: both must happen for the race to count");
    }

    /** The agent itself swaps "d" between a folder and a link to the canary (as this computer names it), in a loop. */
    @Test
    void aFolderSwappedByTheSandboxNeverLeadsOut() throws Exception {
        var agent = runner.background("cd /workspace && mkdir real && echo INSIDE > real/f && echo go > started"
                + " && while [ ! -e stop ]; do rm -f d; mv real d; mv d real; ln -s '" + canary + "' d; done");
        Await.until(() -> runner.workspace().resolve("started").toFile().exists(), Duration.ofSeconds(60), "the agent started");
        int done = 0;
        List<String> leaks = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                try {
                    switch (i % 3) {
                        case 0 -> {
                            String got = read(files, "d/f", 0, -1);
                            if (!got.equals("INSIDE\n")) {
                                leaks.add("read " + got);
                            }
                        }
                        case 1 -> files.write(p("d/w" + i), bytes("X"), 10);
                        default -> files.list(p("d")).stream().filter(e -> e.name().startsWith("canary"))
                                .forEach(e -> leaks.add("listed " + e.name()));
                    }
                    done++;
                } catch (RunnerException.Forbidden | RunnerException.NotFound e) {
                    // refused, or between two states
                }
            }
        } finally {
            files.write(p("stop"), bytes("stop"), 10);
        }
        assertEquals(0, agent.get().exitCode());
        System.out.println("swapped by the sandbox: " + done + " of 1000 operations done");
        assertTrue(done > 0, "the folder was there for some operations");
        assertEquals(List.of(), leaks);
        assertCanaryUntouched();
    }

    @Test
    void aLargeFileIsReadInChunksNeverWhole() throws IOException {
        long size = 300L * 1024 * 1024;
        try (RandomAccessFile sparse = new RandomAccessFile(runner.workspace().resolve("big").toFile(), "rw")) {
            sparse.setLength(size);
            sparse.seek(size - 4);
            sparse.write(new byte[]{1, 2, 3, 4});
        }
        long[] seen = new long[2];
        byte[] last = new byte[4];
        long start = System.nanoTime();
        FileEntry entry = files.read(p("big"), 0, -1, new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("one byte at a time");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                seen[0] += len;
                seen[1] = Math.max(seen[1], len);
                if (len >= 4) {
                    System.arraycopy(b, off + len - 4, last, 0, 4);
                }
            }
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(size, entry.size());
        assertEquals(size, seen[0]);
        assertTrue(seen[1] <= LocalWorkspaceFiles.CHUNK, "at most 64 KiB at a time: " + seen[1]);
        assertArrayEquals(new byte[]{1, 2, 3, 4}, last);
        System.out.println("read 300 MiB in " + millis + " ms (" + (millis == 0 ? "-" : size / 1024 / 1024 * 1000 / millis)
                + " MiB/s)");
    }

    @Test
    void aWatchHearsChangesMadeInsideTheSandbox() {
        files.makeFolder(p("w"));
        ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
        try (Subscription ignored = files.watch(p("w"), (change, path) -> heard.add(change + " " + path))) {
            assertEquals(0, runner.sh("echo hi > /workspace/w/new.txt").exitCode());
            Await.until(() -> heard.contains("CREATED w/new.txt"), Duration.ofSeconds(30), () -> "heard " + heard);
            files.delete(p("w/new.txt"), false);
            Await.until(() -> heard.contains("REMOVED w/new.txt"), Duration.ofSeconds(30), () -> "heard " + heard);
        }
        AtomicBoolean ended = new AtomicBoolean();
        files.watch(p("w"), new FileWatchListener() {
            @Override
            public void onChange(Change change, String path) {
            }

            @Override
            public void onEnded(RunnerException why) {
                ended.set(true);
            }
        });
        files.delete(p("w"), true);
        Await.until(ended::get, Duration.ofSeconds(30), "the watch of a deleted folder ends");
    }
}
