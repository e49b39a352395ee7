package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.TaskExecutor;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The bytes of uploads and downloads, moved off the FX thread: streamed in chunks (never a whole file in memory),
 * counted for the progress bar, and stopped at the next chunk once the transfer is cancelled. A download that does not
 * finish takes away what it wrote on this computer; an upload that does not finish leaves the workspace as it was
 * (the service writes each file atomically).
 */
final class FileTransfers {
    private FileTransfers() {
    }

    /** A workspace path: {@code name} in {@code folder} ("" is the root). */
    static String join(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }

    /** The folder a workspace path is in ("" for one in the root). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /**
     * Uploads {@code local} (a file, or a folder with everything in it; symlinks and special files are left out) into
     * the workspace {@code folder}; the bytes sent.
     */
    static long upload(RunnerService service, String runnerId, Path local, String folder, Transfer transfer,
                       TaskExecutor.Progress progress) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        long total = 0;
        if (Files.isDirectory(local, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(local)) {
                for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        folders.add(p);
                    } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        files.add(p);
                        total += Files.size(p);
                    }
                }
            }
        } else {
            files.add(local);
            total = Files.size(local);
        }
        Path base = local.getParent() == null ? local : local.getParent();
        for (Path f : folders) {
            transfer.check();
            service.makeFolder(runnerId, join(folder, workspaceName(base.relativize(f))));
        }
        AtomicLong done = new AtomicLong();
        long all = total;
        progress.update(0, all);
        for (Path f : files) {
            transfer.check();
            String target = join(folder, workspaceName(base.relativize(f)));
            try (InputStream in = new Counted(Files.newInputStream(f), transfer, n -> progress.update(done.addAndGet(n), all))) {
                service.writeFile(runnerId, target, in);
            }
            transfer.check(); // a cancel during the last chunk: say cancelled, not done
        }
        return all;
    }

    /**
     * Downloads {@code entry} (a file, or a folder with everything in it) into the local folder {@code into}, under a
     * name no file there has yet; the path written. Anything but a finished download removes what it wrote.
     */
    static Path download(RunnerService service, String runnerId, FileEntry entry, Path into, Transfer transfer,
                         TaskExecutor.Progress progress, UnaryOperator<OutputStream> sinkWrapper) throws IOException {
        Path target = freeName(into, entry.name());
        boolean finished = false;
        try {
            if (entry.isFolder()) {
                List<FileEntry> files = new ArrayList<>();
                Files.createDirectory(target);
                long total = collect(service, runnerId, entry.path(), target, files, transfer);
                AtomicLong done = new AtomicLong();
                progress.update(0, total);
                for (FileEntry f : files) {
                    Path local = target.resolve(entry.path().isEmpty() ? f.path() : f.path().substring(entry.path().length() + 1));
                    copy(service, runnerId, f, local, transfer, n -> progress.update(done.addAndGet(n), total), sinkWrapper);
                }
            } else {
                AtomicLong done = new AtomicLong();
                progress.update(0, entry.size());
                copy(service, runnerId, entry, target, transfer, n -> progress.update(done.addAndGet(n), entry.size()), sinkWrapper);
            }
            transfer.check();
            finished = true;
            return target;
        } finally {
            if (!finished) {
                deleteTree(target);
            }
        }
    }

    /** Lists a workspace folder's files below it, making the local folders on the way; their total size. */
    private static long collect(RunnerService service, String runnerId, String folder, Path local, List<FileEntry> files,
                                Transfer transfer) throws IOException {
        long total = 0;
        for (FileEntry e : service.listFiles(runnerId, folder)) {
            transfer.check();
            if (e.isFolder()) {
                Path sub = local.resolve(safeLocalName(e.name()));
                Files.createDirectories(sub);
                total += collect(service, runnerId, e.path(), sub, files, transfer);
            } else if (e.kind() == FileEntry.Kind.FILE) {
                files.add(e);
                total += e.size();
            }
        }
        return total;
    }

    private static void copy(RunnerService service, String runnerId, FileEntry file, Path local, Transfer transfer,
                             java.util.function.LongConsumer counted, UnaryOperator<OutputStream> sinkWrapper)
            throws IOException {
        transfer.check();
        try (OutputStream out = sinkWrapper.apply(new CountedOut(new java.io.BufferedOutputStream(Files.newOutputStream(local), 64 * 1024), transfer, counted))) {
            service.readFile(runnerId, file.path(), 0, -1, out);
        }
    }

    /** {@code name} in {@code folder}, or "name (2).ext", "name (3).ext"… when that is taken: nothing is overwritten. */
    static Path freeName(Path folder, String name) {
        String safe = safeLocalName(name);
        Path p = folder.resolve(safe);
        int dot = safe.lastIndexOf('.');
        String stem = dot > 0 ? safe.substring(0, dot) : safe;
        String ext = dot > 0 ? safe.substring(dot) : "";
        for (int n = 2; Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
            p = folder.resolve(stem + " (" + n + ")" + ext);
        }
        return p;
    }

    /** A workspace name as a local file name: path separators this computer would read as folders become "_". */
    private static String safeLocalName(String name) {
        String s = name.replace('/', '_').replace('\\', '_');
        return s.equals(".") || s.equals("..") || s.isEmpty() ? "_" : s;
    }

    private static String workspaceName(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    /** Removes a partial download (a file, or a folder and what is in it); what cannot be removed is left. */
    static void deleteTree(Path p) {
        try {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.getLogger(FileTransfers.class.getName()).log(System.Logger.Level.INFO,
                    "could not remove the partial download " + p + ": " + e.getMessage());
        }
    }

    /** Folders first, then by name: the order a listing is shown in before the person sorts it. */
    static final Comparator<FileEntry> FOLDERS_FIRST = Comparator.comparing((FileEntry e) -> !e.isFolder())
            .thenComparing(FileEntry::name, String.CASE_INSENSITIVE_ORDER);

    /** An upload's source: counts what is read, and fails at the next read once cancelled. */
    private static final class Counted extends FilterInputStream {
        private final Transfer transfer;
        private final java.util.function.LongConsumer counted;

        Counted(InputStream in, Transfer transfer, java.util.function.LongConsumer counted) {
            super(in);
            this.transfer = transfer;
            this.counted = counted;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            transfer.check();
            int n = super.read(b, off, len);
            if (n > 0) {
                counted.accept(n);
            }
            return n;
        }
    }

    /** A download's sink: counts what is written, and fails at the next write once cancelled. */
    private static final class CountedOut extends FilterOutputStream {
        private final Transfer transfer;
        private final java.util.function.LongConsumer counted;

        CountedOut(OutputStream out, Transfer transfer, java.util.function.LongConsumer counted) {
            super(out);
            this.transfer = transfer;
            this.counted = counted;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            transfer.check();
            out.write(b, off, len);
            counted.accept(len);
        }
    }
}
