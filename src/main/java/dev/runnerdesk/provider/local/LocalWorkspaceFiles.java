package dev.runnerdesk.provider.local;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.provider.WorkspaceFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A local runner's workspace files, as this computer sees them through the runner's workspace holder. Every
 * operation opens its path beneath the workspace's descriptor ({@link WorkspaceFds}: no link followed, nothing
 * outside reachable, whatever the agent swaps in meanwhile) and then works on descriptors: reads and writes in
 * {@value #CHUNK}-byte pieces (never a whole file in memory), writes to a new temporary file beside the target and
 * renames it into place (a reader sees the old file or the new, never part of one), moves with
 * {@code RENAME_NOREPLACE}, deletes folders by walking them with descriptors (a link inside is removed, its target
 * never touched).
 * <p>Ownership needs nothing done: the sandbox's user (uid 1000 inside) is this computer's user (or root) outside,
 * through the holder's user namespace, so what RunnerDesk writes is the sandbox user's own, and the reverse.
 * <p>Hard links cannot lead out: the workspace is a file system of its own (a tmpfs), and a hard link cannot cross
 * file systems; the sandbox sees nothing else of this computer's to link to.
 */
final class LocalWorkspaceFiles implements WorkspaceFiles {
    static final int CHUNK = 64 * 1024;
    private static final int MAX_DEPTH = 512;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<Path> workspace;
    private final boolean walkOnly;
    private final LocalWatches watches;
    private final LibC libc = LibC.get();

    /**
     * {@code workspace} gives the workspace folder as this computer reaches it (or throws when the runner has none);
     * {@code walkOnly} never uses openat2 (for tests of the fallback).
     */
    LocalWorkspaceFiles(Supplier<Path> workspace, boolean walkOnly, LocalWatches watches) {
        this.workspace = workspace;
        this.walkOnly = walkOnly;
        this.watches = watches;
    }

    /** The workspace's bytes in use and its size (its disk limit); {-1, -1} when it cannot be opened. */
    static long[] usage(Path workspace) {
        try (WorkspaceFds fds = new WorkspaceFds(workspace, false)) {
            return fds.usage();
        } catch (RunnerException e) {
            return new long[]{-1, -1};
        }
    }

    private WorkspaceFds open() {
        return new WorkspaceFds(workspace.get(), walkOnly);
    }

    @Override
    public List<FileEntry> list(WorkspacePath folder) {
        try (WorkspaceFds fds = open()) {
            int dir = fds.openFolder(folder);
            try {
                List<FileEntry> entries = new ArrayList<>();
                for (String name : names(fds, dir, folder, true)) {
                    WorkspaceFds.Stat s;
                    try {
                        s = fds.stat(dir, name, folder.child(name));
                    } catch (RunnerException.NotFound gone) {
                        continue; // removed since the folder was read
                    }
                    entries.add(entry(fds, dir, folder.child(name), s));
                }
                entries.sort(Comparator.comparing((FileEntry e) -> !e.isFolder()).thenComparing(FileEntry::name));
                return entries;
            } finally {
                fds.close(dir);
            }
        }
    }

    private FileEntry entry(WorkspaceFds fds, int dir, WorkspacePath path, WorkspaceFds.Stat s) {
        Optional<String> target = Optional.empty();
        if (s.kind() == FileEntry.Kind.SYMLINK) {
            try {
                target = Optional.of(fds.linkTarget(dir, path.name(), path));
            } catch (RunnerException e) {
                target = Optional.of("");
            }
        }
        return s.entry(path, target);
    }

    /** Folder {@code dir}'s names, from a copy of its fd; a listing's at most {@link #MAX_LISTED} (inodes bound all). */
    private List<String> names(WorkspaceFds fds, int dir, WorkspacePath shown, boolean listing) {
        int copy = fds.check(libc.dup(dir), "list", shown);
        Pointer stream = libc.fdopendir(copy);
        if (stream == null) {
            fds.close(copy);
            throw fds.failure(Native.getLastError(), "list", shown, -1);
        }
        List<String> names = new ArrayList<>();
        try {
            while (true) {
                Native.setLastError(0);
                Pointer entry = libc.readdir(stream);
                if (entry == null) {
                    int errno = Native.getLastError();
                    if (errno != 0) {
                        throw fds.failure(errno, "list", shown, -1);
                    }
                    return names;
                }
                String name = entry.getString(19, "UTF-8");
                if (!name.equals(".") && !name.equals("..") && names.add(name) && listing && names.size() > MAX_LISTED) {
                    throw WorkspaceFiles.tooManyEntries(shown);
                }
            }
        } finally {
            libc.closedir(stream); // closes the duplicate
        }
    }

    @Override
    public FileEntry stat(WorkspacePath path) {
        try (WorkspaceFds fds = open()) {
            if (path.isRoot()) {
                return fds.stat(fds.root(), "", path).entry(path, Optional.empty());
            }
            int parent = fds.openFolder(path.parent());
            try {
                return entry(fds, parent, path, fds.stat(parent, path.name(), path));
            } finally {
                fds.close(parent);
            }
        }
    }

    @Override
    public FileEntry read(WorkspacePath path, long offset, long length, OutputStream sink) {
        if (offset < 0) {
            throw new RunnerException.InvalidRequest("offset", "offset must be 0 or more");
        }
        if (path.isRoot()) {
            throw new RunnerException.Conflict("cannot read " + path + ": it is a folder");
        }
        try (WorkspaceFds fds = open()) {
            int parent = fds.openFolder(path.parent());
            int fd;
            try {
                // O_NONBLOCK: a pipe put there by the agent must not hold the read forever (it is refused below)
                fd = libc.openat(parent, path.name(), LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
                if (fd < 0) {
                    throw fds.failure(Native.getLastError(), "read", path, parent);
                }
            } finally {
                fds.close(parent);
            }
            try {
                WorkspaceFds.Stat s = fds.stat(fd, "", path);
                if (s.kind() != FileEntry.Kind.FILE) {
                    throw s.isFolder() ? new RunnerException.Conflict("cannot read " + path + ": it is a folder")
                            : new RunnerException.Forbidden("cannot read " + path + ": it is not a regular file");
                }
                copyOut(fds, fd, path, offset, length, sink);
                return s.entry(path, Optional.empty());
            } finally {
                fds.close(fd);
            }
        }
    }

    private void copyOut(WorkspaceFds fds, int fd, WorkspacePath path, long offset, long length, OutputStream sink) {
        Memory buffer = new Memory(CHUNK);
        byte[] bytes = new byte[CHUNK];
        long at = offset;
        long left = length < 0 ? Long.MAX_VALUE : length;
        while (left > 0) {
            long n = libc.pread(fd, buffer, Math.min(CHUNK, left), at);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == LibC.EINTR) {
                    continue;
                }
                throw fds.failure(errno, "read", path, -1);
            }
            if (n == 0) {
                return;
            }
            buffer.read(0, bytes, 0, (int) n);
            try {
                sink.write(bytes, 0, (int) n);
            } catch (IOException e) {
                throw new RunnerException.Unavailable("the download of " + path + " stopped: " + e.getMessage(), e);
            }
            at += n;
            left -= n;
        }
    }

    @Override
    public FileEntry write(WorkspacePath path, InputStream content, long maxBytes) {
        if (path.isRoot()) {
            throw new RunnerException.Conflict("cannot write " + path + ": it is the workspace folder");
        }
        try (WorkspaceFds fds = open()) {
            int parent = fds.openFolder(path.parent());
            try {
                int mode = 0644;
                try {
                    WorkspaceFds.Stat old = fds.stat(parent, path.name(), path);
                    if (old.isFolder()) {
                        throw new RunnerException.Conflict("cannot write " + path + ": it is a folder");
                    }
                    if (old.kind() == FileEntry.Kind.FILE) {
                        mode = old.mode(); // a script replaced stays executable
                    }
                } catch (RunnerException.NotFound absent) {
                    // a new file
                }
                String temp = ".runnerdesk-upload-" + HexFormat.of().formatHex(randomBytes());
                int fd = libc.openat(parent, temp, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW
                        | LibC.O_CLOEXEC, 0600);
                if (fd < 0) {
                    throw fds.failure(Native.getLastError(), "write", path, parent);
                }
                boolean placed = false;
                try {
                    libc.fchmod(fd, mode);
                    copyIn(fds, fd, path, content, maxBytes);
                    if (libc.renameat(parent, temp, parent, path.name()) != 0) {
                        throw fds.failure(Native.getLastError(), "write", path, parent);
                    }
                    placed = true;
                } finally {
                    fds.close(fd);
                    if (!placed) {
                        libc.unlinkat(parent, temp, 0);
                    }
                }
                return fds.stat(parent, path.name(), path).entry(path, Optional.empty());
            } finally {
                fds.close(parent);
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private void copyIn(WorkspaceFds fds, int fd, WorkspacePath path, InputStream content, long maxBytes) {
        Memory buffer = new Memory(CHUNK);
        byte[] bytes = new byte[CHUNK];
        long total = 0;
        while (true) {
            int n;
            try {
                n = content.read(bytes, 0, (int) Math.min(CHUNK, Math.max(1, maxBytes - total + 1)));
            } catch (IOException e) {
                throw new RunnerException.Unavailable("the upload of " + path + " stopped: " + e.getMessage(), e);
            }
            if (n < 0) {
                return;
            }
            total += n;
            if (total > maxBytes) {
                throw new RunnerException.TooLarge("cannot write " + path + ": it is larger than the limit of "
                        + describe(maxBytes), maxBytes);
            }
            buffer.write(0, bytes, 0, n);
            long written = 0;
            while (written < n) {
                long w = libc.write(fd, buffer.share(written), n - written);
                if (w < 0) {
                    int errno = Native.getLastError();
                    if (errno == LibC.EINTR) {
                        continue;
                    }
                    throw fds.failure(errno, "write", path, -1);
                }
                written += w;
            }
        }
    }

    private static String describe(long bytes) {
        return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }

    /** Each missing folder on the way is made, one name at a time beneath the root; one that exists is kept. */
    @Override
    public FileEntry makeFolder(WorkspacePath path) {
        if (path.isRoot()) {
            throw new RunnerException.Conflict("cannot make " + path + ": it exists already");
        }
        try (WorkspaceFds fds = open()) {
            WorkspacePath at = WorkspacePath.ROOT;
            for (String name : path.names()) {
                int parent = fds.openFolder(at);
                try {
                    WorkspacePath made = at.child(name);
                    if (libc.mkdirat(parent, name, 0755) != 0) {
                        int error = Native.getLastError();
                        if (error != LibC.EEXIST) {
                            throw fds.failure(error, "make the folder", made, parent);
                        }
                    }
                    if (made.equals(path)) {
                        FileEntry entry = fds.stat(parent, name, path).entry(path, Optional.empty());
                        if (!entry.isFolder()) {
                            throw new RunnerException.Conflict("cannot make the folder " + path + ": a " + entry.kind()
                                    + " of that name exists already");
                        }
                        return entry;
                    }
                    at = made;
                } finally {
                    fds.close(parent);
                }
            }
            throw new IllegalStateException("unreachable: the path has a last name");
        }
    }

    @Override
    public FileEntry move(WorkspacePath from, WorkspacePath to) {
        if (from.isRoot() || to.isRoot()) {
            throw new RunnerException.InvalidRequest("path", "the workspace folder itself cannot be moved or replaced");
        }
        if (from.contains(to)) {
            throw new RunnerException.InvalidRequest("to", "cannot move " + from + " into itself");
        }
        try (WorkspaceFds fds = open()) {
            int fromParent = fds.openFolder(from.parent());
            try {
                int toParent = fds.openFolder(to.parent());
                try {
                    if (libc.renameat2(fromParent, from.name(), toParent, to.name(), LibC.RENAME_NOREPLACE) != 0) {
                        throw fds.failure(Native.getLastError(), "move " + from + " to", to, -1);
                    }
                    return entry(fds, toParent, to, fds.stat(toParent, to.name(), to));
                } finally {
                    fds.close(toParent);
                }
            } finally {
                fds.close(fromParent);
            }
        }
    }

    @Override
    public void delete(WorkspacePath path, boolean recursive) {
        if (path.isRoot()) {
            throw new RunnerException.InvalidRequest("path", "the workspace folder itself cannot be deleted");
        }
        try (WorkspaceFds fds = open()) {
            int parent = fds.openFolder(path.parent());
            try {
                WorkspaceFds.Stat s = fds.stat(parent, path.name(), path);
                if (!s.isFolder()) {
                    if (libc.unlinkat(parent, path.name(), 0) != 0) {
                        throw fds.failure(Native.getLastError(), "delete", path, parent);
                    }
                    return;
                }
                for (int attempt = 0; ; attempt++) {
                    if (libc.unlinkat(parent, path.name(), LibC.AT_REMOVEDIR) == 0) {
                        return;
                    }
                    int errno = Native.getLastError();
                    if (errno == LibC.ENOTDIR) { // swapped for a file or a link meanwhile: that is what goes
                        fds.check(libc.unlinkat(parent, path.name(), 0), "delete", path);
                        return;
                    }
                    if (errno != LibC.ENOTEMPTY || !recursive || attempt >= 3) {
                        throw fds.failure(errno, "delete", path, parent);
                    }
                    // the agent may be adding files while they go: empty it again
                    removeContents(fds, parent, path, 0);
                }
            } finally {
                fds.close(parent);
            }
        }
    }

    /** Removes what folder {@code path} (named in {@code parent}) holds, opening each subfolder without following links. */
    private void removeContents(WorkspaceFds fds, int parent, WorkspacePath path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new RunnerException.Conflict("cannot delete " + path + ": folders nested more than " + MAX_DEPTH + " deep");
        }
        int dir = libc.openat(parent, path.name(), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (dir < 0) {
            return; // gone, or swapped for a link or a file: the caller's unlink handles what is there now
        }
        try {
            if (!fds.onWorkspaceFileSystem(dir, path)) {
                throw new RunnerException.Forbidden("cannot delete " + path + ": another file system is mounted there");
            }
            WorkspaceFds.Stat self = fds.stat(dir, "", path);
            if ((self.mode() & 0700) != 0700) {
                libc.fchmod(dir, self.mode() | 0700); // a read-only folder made inside must not keep its files
            }
            for (String name : names(fds, dir, path, false)) {
                WorkspacePath child = path.child(name);
                if (libc.unlinkat(dir, name, 0) == 0) {
                    continue; // a file or a link (the link itself, never its target)
                }
                int errno = Native.getLastError();
                if (errno == LibC.EISDIR || errno == LibC.EPERM) {
                    removeContents(fds, dir, child, depth + 1);
                    if (libc.unlinkat(dir, name, LibC.AT_REMOVEDIR) != 0 && Native.getLastError() != LibC.ENOENT) {
                        throw fds.failure(Native.getLastError(), "delete", child, dir);
                    }
                } else if (errno != LibC.ENOENT) {
                    throw fds.failure(errno, "delete", child, dir);
                }
            }
        } finally {
            fds.close(dir);
        }
    }

    @Override
    public Subscription watch(WorkspacePath folder, FileWatchListener listener) {
        try (WorkspaceFds fds = open()) {
            int dir = fds.openFolder(folder);
            try {
                return watches.watch(dir, folder, listener);
            } finally {
                fds.close(dir);
            }
        }
    }
}
