package dev.runnerdesk.cli;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.WorkspacePath;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The CLI's copies between a runner's workspace and this computer ({@code runners files get|put}), one file or a folder
 * walked. A download goes to a temporary file beside its target and is renamed into place only once it is whole, so a
 * failure never leaves a part behind; an existing local file is kept unless {@code force}. Symlinks are skipped on both
 * sides (a link copied as its target could reach outside the folder), and each skip is said. Progress goes to standard
 * error, only where that is a terminal.
 */
final class FileTransfers {
    private final RunnerService service;
    private final String runnerId;
    private final PrintWriter err;
    private final boolean progress;
    private final boolean force;
    int files;
    long bytes;
    final List<String> skipped = new ArrayList<>();

    FileTransfers(RunnerService service, String runnerId, PrintWriter err, boolean progress, boolean force) {
        this.service = service;
        this.runnerId = runnerId;
        this.err = err;
        this.progress = progress;
        this.force = force;
    }

    /** Whether standard error is a terminal (the JDK tells only for the whole console, which is close enough). */
    static boolean terminal() {
        return System.console() != null;
    }

    /** Downloads {@code remote} (a folder with {@code recursive}) to {@code local}. */
    void get(String remote, Path local, boolean recursive) {
        FileEntry entry = service.statFile(runnerId, remote);
        if (entry.isFolder()) {
            if (!recursive) {
                throw new RunnerException.InvalidRequest("path", WorkspacePath.parse("path", remote) + " is a folder; add -r"
                        + " to copy it and everything in it");
            }
            getFolder(entry.path(), local);
        } else if (entry.kind() == FileEntry.Kind.FILE) {
            getFile(entry, local);
        } else {
            skip(entry);
        }
    }

    private void getFolder(String remote, Path local) {
        if (Files.exists(local, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
            throw new RunnerException.Conflict(local + " exists and is not a folder; nothing was copied into it");
        }
        try {
            Files.createDirectories(local);
        } catch (IOException e) {
            throw local(local, e);
        }
        for (FileEntry child : service.listFiles(runnerId, remote)) {
            Path target = local.resolve(child.name());
            if (child.isFolder()) {
                getFolder(child.path(), target);
            } else if (child.kind() == FileEntry.Kind.FILE) {
                getFile(child, target);
            } else {
                skip(child);
            }
        }
    }

    private void getFile(FileEntry entry, Path local) {
        if (!force && Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
            throw new RunnerException.Conflict(local + " exists; add --force to replace it (nothing was downloaded)");
        }
        Path dir = local.toAbsolutePath().getParent();
        Path part = null;
        try {
            Files.createDirectories(dir);
            part = Files.createTempFile(dir, "." + local.getFileName() + ".", ".part");
            try (OutputStream out = new Counted(new java.io.BufferedOutputStream(Files.newOutputStream(part), 64 * 1024), bar(entry.name(), entry.size()))) {
                service.readFile(runnerId, entry.path(), 0, -1, out);
            }
            permissions(part, entry.mode());
            place(part, local);
            part = null;
        } catch (IOException e) {
            throw local(local, e);
        } finally {
            deleteQuietly(part);
        }
        files++;
        bytes += sizeOf(local);
    }

    /** Renames the whole download into place: atomically where the file system can, never over a file unless forced. */
    private void place(Path part, Path local) throws IOException {
        try {
            if (force) {
                Files.move(part, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(part, local, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, local, force ? new StandardCopyOption[] {StandardCopyOption.REPLACE_EXISTING} : new StandardCopyOption[0]);
        } catch (FileAlreadyExistsException e) {
            throw new RunnerException.Conflict(local + " appeared while downloading; add --force to replace it");
        }
    }

    /** The workspace file's permission bits, without group or other write (0644 where it does not say); POSIX only. */
    private static void permissions(Path file, int mode) {
        int bits = mode == 0 ? 0644 : (mode & 0755) | 0600;
        java.util.Set<java.nio.file.attribute.PosixFilePermission> set = java.util.EnumSet.noneOf(
                java.nio.file.attribute.PosixFilePermission.class);
        java.nio.file.attribute.PosixFilePermission[] order = java.nio.file.attribute.PosixFilePermission.values();
        for (int i = 0; i < 9; i++) { // OWNER_READ … OTHERS_EXECUTE, from the highest bit down
            if ((bits & (1 << (8 - i))) != 0) {
                set.add(order[i]);
            }
        }
        try {
            Files.setPosixFilePermissions(file, set);
        } catch (UnsupportedOperationException | IOException ignored) {
            // Windows: the temporary file's own permissions stand
        }
    }

    /** Writes a download to standard output, as it comes. */
    void getToStdout(String remote, OutputStream stdout) {
        FileEntry entry = service.statFile(runnerId, remote);
        if (entry.isFolder()) {
            throw new RunnerException.InvalidRequest("path", "a folder cannot be written to standard output; give a local"
                    + " folder to copy it into, with -r");
        }
        service.readFile(runnerId, entry.path(), 0, -1, new Counted(stdout, bar(entry.name(), entry.size())));
        try {
            stdout.flush();
        } catch (IOException e) {
            throw local(Path.of("-"), e);
        }
        files++;
        bytes += entry.size();
    }

    /** Uploads {@code local} (a folder with {@code recursive}) to {@code remote}. */
    void put(Path local, String remote, boolean recursive) {
        if (Files.isSymbolicLink(local)) {
            throw new RunnerException.InvalidRequest("local", local + " is a symlink; give what it points at");
        }
        if (Files.isDirectory(local)) {
            if (!recursive) {
                throw new RunnerException.InvalidRequest("local", local + " is a folder; add -r to copy it and everything in it");
            }
            putFolder(local, WorkspacePath.parse("path", remote));
        } else if (Files.isRegularFile(local)) {
            putFile(local, remote);
        } else {
            throw new RunnerException.NotFound("no file " + local + " on this computer");
        }
    }

    private void putFolder(Path local, WorkspacePath remote) {
        service.makeFolder(runnerId, remote.relative());
        List<Path> children;
        try (Stream<Path> list = Files.list(local)) {
            children = list.sorted().toList();
        } catch (IOException e) {
            throw local(local, e);
        }
        for (Path child : children) {
            WorkspacePath target = remote.child(child.getFileName().toString());
            if (Files.isSymbolicLink(child)) {
                skipped.add(child + " (a symlink on this computer)");
                err.println("skipped " + child + ": a symlink (links are not copied)");
            } else if (Files.isDirectory(child)) {
                putFolder(child, target);
            } else if (Files.isRegularFile(child)) {
                putFile(child, target.relative());
            } else {
                skipped.add(child + " (not a regular file)");
                err.println("skipped " + child + ": not a regular file");
            }
        }
    }

    private void putFile(Path local, String remote) {
        long size = sizeOf(local);
        try (InputStream in = new CountedIn(Files.newInputStream(local), bar(local.getFileName().toString(), size))) {
            service.writeFile(runnerId, remote, in);
        } catch (IOException e) {
            throw local(local, e);
        }
        files++;
        bytes += size;
    }

    /** Uploads standard input to {@code remote}. */
    void putFromStdin(InputStream stdin, String remote) {
        FileEntry written = service.writeFile(runnerId, remote, new CountedIn(stdin, bar(WorkspacePath.parse("path", remote).name(), -1)));
        files++;
        bytes += written.size();
    }

    private void skip(FileEntry entry) {
        skipped.add(entry.path() + " (" + entry.kind().wireName() + ")");
        err.println("skipped " + entry.path() + ": a " + entry.kind().wireName() + (entry.linkTarget().map(t -> " to " + t)
                .orElse("") + " (only files and folders are copied)"));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover .part file is harmless and says what it is
            }
        }
    }

    private static RunnerException local(Path p, IOException e) {
        return new RunnerException.Unavailable("cannot use " + p + " on this computer: " + e.getMessage(), e);
    }

    /** The progress of one file on standard error, at most ten times a second; nothing when not on a terminal. */
    private Progress bar(String name, long total) {
        return progress ? new Progress(err, name, total) : null;
    }

    static final class Progress {
        private final PrintWriter err;
        private final String name;
        private final long total;
        private final long started = System.nanoTime();
        private long shownAt;
        private long done;

        Progress(PrintWriter err, String name, long total) {
            this.err = err;
            this.name = name.length() > 30 ? name.substring(0, 29) + "…" : name;
            this.total = total;
        }

        void add(long n) {
            done += n;
            long now = System.nanoTime();
            if (now - shownAt > 100_000_000L) {
                shownAt = now;
                show(false);
            }
        }

        void show(boolean end) {
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            String of = total >= 0 ? " / " + mib(total) + String.format(Locale.ROOT, "  %3d%%", total == 0 ? 100 : done * 100 / total) : "";
            err.print("\r" + String.format(Locale.ROOT, "%-30s %s%s  %s/s", name, mib(done), of, mib((long) (done / seconds)))
                    + (end ? "\n" : ""));
            err.flush();
        }

        private static String mib(long bytes) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
    }

    private static final class Counted extends FilterOutputStream {
        private final Progress progress;

        Counted(OutputStream out, Progress progress) {
            super(out);
            this.progress = progress;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (progress != null) {
                progress.add(len);
            }
        }

        @Override
        public void close() throws IOException {
            super.close();
            if (progress != null) {
                progress.show(true);
            }
        }
    }

    private static final class CountedIn extends FilterInputStream {
        private final Progress progress;

        CountedIn(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (progress != null) {
                if (n > 0) {
                    progress.add(n);
                } else if (n < 0) {
                    progress.show(true);
                }
            }
            return n;
        }
    }
}
