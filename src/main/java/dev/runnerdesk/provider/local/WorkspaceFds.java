package dev.runnerdesk.provider.local;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.WorkspacePath;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A runner's workspace opened as a directory descriptor, and every path in it opened <em>relative to that
 * descriptor</em>, the kernel's way, so that nothing the agent does inside — a folder swapped for a symbolic link to
 * "/" at any moment — can lead an operation out: {@code openat2(2)} with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
 * | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV} (Linux 5.6 and later); where the kernel has no openat2, a walk of
 * {@code openat(O_NOFOLLOW | O_DIRECTORY)} one name at a time, each folder checked to be on the workspace's own file
 * system. Symbolic links are never followed, even those that stay inside: they are listed, with their target, and
 * that is all. The final name of an operation is always used with a {@code *at} call on its parent's descriptor and
 * no-follow flags, so it cannot be swapped for a link between a check and the use either.
 */
final class WorkspaceFds implements AutoCloseable {
    private static final int RESOLVE_NO_XDEV = 0x01;
    private static final int RESOLVE_NO_MAGICLINKS = 0x02;
    private static final int RESOLVE_NO_SYMLINKS = 0x04;
    private static final int RESOLVE_BENEATH = 0x08;
    private static final int STATX_BASIC = 0x7ff;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    /** Set once the kernel said it has no openat2: the walk is used from then on. */
    private static volatile boolean openat2Missing;

    private final LibC libc = LibC.get();
    private final int root;
    private final boolean walkOnly;
    private final long rootDev;

    /** What statx(2) says of an entry (no link followed). */
    record Stat(FileEntry.Kind kind, int mode, long size, Instant modified, long dev, long inode) {
        boolean isFolder() {
            return kind == FileEntry.Kind.FOLDER;
        }

        FileEntry entry(WorkspacePath path, java.util.Optional<String> linkTarget) {
            return new FileEntry(path.relative(), path.name(), kind, isFolder() ? 0 : size, mode, modified, linkTarget);
        }
    }

    /**
     * Opens the workspace folder {@code workspace} (a path RunnerDesk chose, through the holder's
     * {@code /proc/PID/root}, so followed as given). {@code walkOnly} uses the walk even where openat2 exists (tests).
     */
    WorkspaceFds(Path workspace, boolean walkOnly) {
        this.walkOnly = walkOnly;
        int fd = libc.openat(-100, workspace.toString(), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new RunnerException.Conflict("the runner's workspace cannot be opened (error " + Native.getLastError()
                    + "); the runner may have ended");
        }
        this.root = fd;
        try {
            this.rootDev = stat(fd, "", WorkspacePath.ROOT).dev();
        } catch (RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    int root() {
        return root;
    }

    /** A new descriptor of folder {@code dir} (the caller closes it); never through a link or out of the workspace. */
    int openFolder(WorkspacePath dir) {
        if (dir.isRoot()) {
            return check(libc.dup(root), "open", dir);
        }
        if (!walkOnly && !openat2Missing) {
            Memory how = new Memory(24);
            how.setLong(0, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
            how.setLong(8, 0);
            how.setLong(16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
            for (int attempt = 0; ; attempt++) {
                long fd = libc.syscall(LibC.SYS_OPENAT2, root, dir.relative(), how, 24L);
                if (fd >= 0) {
                    return (int) fd;
                }
                int errno = Native.getLastError();
                if (errno == LibC.ENOSYS) {
                    openat2Missing = true;
                    break;
                }
                // EAGAIN: a rename elsewhere raced the lookup; the kernel asks to try again
                if ((errno != LibC.EAGAIN && errno != LibC.EINTR) || attempt > 100) {
                    throw failure(errno, "open", dir, -1);
                }
            }
        }
        return walk(dir);
    }

    private int walk(WorkspacePath dir) {
        int fd = check(libc.dup(root), "open", dir);
        List<String> names = dir.names();
        for (int i = 0; i < names.size(); i++) {
            WorkspacePath reached = WorkspacePath.ROOT;
            for (String n : names.subList(0, i + 1)) {
                reached = reached.child(n);
            }
            int next = libc.openat(fd, names.get(i), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            int errno = Native.getLastError();
            if (next < 0) {
                RunnerException e = failure(errno, "open", reached, fd);
                libc.close(fd);
                throw e;
            }
            libc.close(fd);
            fd = next;
            if (stat(fd, "", reached).dev() != rootDev) {
                libc.close(fd);
                throw new RunnerException.Forbidden(reached + " is another file system mounted in the workspace; it is not"
                        + " opened from here");
            }
        }
        return fd;
    }

    /** {@code name} in {@code dirFd}, a link not followed; "" for the folder itself. */
    Stat stat(int dirFd, String name, WorkspacePath shown) {
        Memory buf = new Memory(256);
        int flags = LibC.AT_SYMLINK_NOFOLLOW | (name.isEmpty() ? LibC.AT_EMPTY_PATH : 0);
        if (libc.statx(dirFd, name, flags, STATX_BASIC, buf) != 0) {
            throw failure(Native.getLastError(), "read the details of", shown, dirFd);
        }
        int mode = buf.getShort(28) & 0xffff;
        FileEntry.Kind kind = switch (mode & S_IFMT) {
            case S_IFDIR -> FileEntry.Kind.FOLDER;
            case S_IFREG -> FileEntry.Kind.FILE;
            case S_IFLNK -> FileEntry.Kind.SYMLINK;
            default -> FileEntry.Kind.OTHER;
        };
        Instant modified = Instant.ofEpochSecond(buf.getLong(112), buf.getInt(120) & 0xffffffffL);
        long dev = ((buf.getInt(136) & 0xffffffffL) << 32) | (buf.getInt(140) & 0xffffffffL);
        return new Stat(kind, mode & 07777, Math.max(0, buf.getLong(40)), modified, dev, buf.getLong(32));
    }

    /** What link {@code name} in {@code dirFd} points at, as stored; never followed. */
    String linkTarget(int dirFd, String name, WorkspacePath shown) {
        Memory buf = new Memory(4097);
        long n = libc.readlinkat(dirFd, name, buf, 4096);
        if (n < 0) {
            throw failure(Native.getLastError(), "read the link", shown, dirFd);
        }
        return new String(buf.getByteArray(0, (int) n), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Bytes in use and the size of the workspace's file system (its limit), from fstatfs(2). */
    long[] usage() {
        Memory buf = new Memory(120);
        if (libc.fstatfs(root, buf) != 0) {
            return new long[]{-1, -1};
        }
        long blockSize = buf.getLong(8);
        long blocks = buf.getLong(16);
        long free = buf.getLong(24);
        return new long[]{(blocks - free) * blockSize, blocks * blockSize};
    }

    /** Whether {@code fd} is on the workspace's own file system (not something mounted inside it). */
    boolean onWorkspaceFileSystem(int fd, WorkspacePath shown) {
        return stat(fd, "", shown).dev() == rootDev;
    }

    int check(int result, String verb, WorkspacePath path) {
        if (result < 0) {
            throw failure(Native.getLastError(), verb, path, -1);
        }
        return result;
    }

    /**
     * An error number in words, for a person: {@code verb} the path failed. {@code dirFd} (or -1) is where the failing
     * name was looked up, to tell a link from a file where the kernel answers ELOOP or ENOTDIR.
     */
    RunnerException failure(int errno, String verb, WorkspacePath path, int dirFd) {
        String what = "cannot " + verb + " " + path + ": ";
        return switch (errno) {
            case LibC.ENOENT -> new RunnerException.NotFound(what + "no such file or folder in the workspace");
            case LibC.ELOOP -> linkRefused(path);
            case LibC.ENOTDIR -> dirFd >= 0 && isLink(dirFd, path.name()) ? linkRefused(path)
                    : new RunnerException.NotFound(what + "a part of the path is a file, not a folder");
            case LibC.EXDEV -> new RunnerException.Forbidden(what + "it leads out of the workspace");
            case LibC.EACCES, LibC.EPERM -> new RunnerException.Forbidden(what + "permission denied");
            case LibC.EEXIST -> new RunnerException.Conflict(what + "it exists already");
            case LibC.ENOTEMPTY -> new RunnerException.Conflict(what + "the folder is not empty");
            case LibC.EISDIR -> new RunnerException.Conflict(what + "it is a folder");
            case LibC.ENOSPC, LibC.EDQUOT -> new RunnerException.TooLarge(what + "the workspace is full", usage()[1]);
            case LibC.ENAMETOOLONG -> new RunnerException.InvalidRequest("path", what + "the name is too long");
            case LibC.EINVAL -> new RunnerException.InvalidRequest("path", what + "not possible (a folder into itself?)");
            default -> new RunnerException.Unavailable(what + "error " + errno);
        };
    }

    private boolean isLink(int dirFd, String name) {
        Memory buf = new Memory(256);
        return !name.isEmpty() && libc.statx(dirFd, name, LibC.AT_SYMLINK_NOFOLLOW, STATX_BASIC, buf) == 0
                && ((buf.getShort(28) & 0xffff) & S_IFMT) == S_IFLNK;
    }

    private static RunnerException linkRefused(WorkspacePath path) {
        return new RunnerException.Forbidden("cannot open " + path + ": it goes through a symbolic link, and links in the"
                + " workspace are shown but never followed");
    }

    void close(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    @Override
    public void close() {
        libc.close(root);
    }
}
