package dev.runnerdesk.provider.local;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few C library calls the local sandbox needs that Java has no API for (through JNA, which pty4j uses too). */
interface LibC extends Library {
    int SIGKILL = 9;
    int SIGSTOP = 19;
    int EPERM = 1;
    int ENOENT = 2;
    int EINTR = 4;
    int EAGAIN = 11;
    int EACCES = 13;
    int EEXIST = 17;
    int EXDEV = 18;
    int ENOTDIR = 20;
    int EISDIR = 21;
    int EINVAL = 22;
    int ENOSPC = 28;
    int ENAMETOOLONG = 36;
    int ENOSYS = 38;
    int ENOTEMPTY = 39;
    int ELOOP = 40;
    int EDQUOT = 122;

    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    /** O_DIRECTORY and O_NOFOLLOW are not the same numbers on every architecture. */
    int O_DIRECTORY = Arch.AARCH64 ? 040000 : 0200000;
    int O_NOFOLLOW = Arch.AARCH64 ? 0100000 : 0400000;
    int AT_SYMLINK_NOFOLLOW = 0x100;
    int AT_REMOVEDIR = 0x200;
    int AT_EMPTY_PATH = 0x1000;
    int RENAME_NOREPLACE = 1;
    /** openat2(2)'s number, the same on every architecture (from 424 up they are). */
    long SYS_OPENAT2 = 437;

    int kill(int pid, int sig);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);

    int dup(int fd);

    /** openat2(2) has no C library wrapper: {@code syscall(SYS_openat2, dirfd, path, &how, sizeof how)}. */
    long syscall(long number, Object... args);

    int openat(int dirfd, String path, int flags, int mode);

    int statx(int dirfd, String path, int flags, int mask, Pointer statx);

    int fstatfs(int fd, Pointer statfs);

    int mkdirat(int dirfd, String path, int mode);

    int unlinkat(int dirfd, String path, int flags);

    int renameat(int olddirfd, String oldpath, int newdirfd, String newpath);

    int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    long readlinkat(int dirfd, String path, Pointer buf, long size);

    long pread(int fd, Pointer buf, long count, long offset);

    long write(int fd, Pointer buf, long count);

    int fchmod(int fd, int mode);

    Pointer fdopendir(int fd);

    /** glibc's readdir: struct dirent64 on 64-bit systems (d_ino, d_off, d_reclen, d_type, d_name at 19). */
    Pointer readdir(Pointer dir);

    int closedir(Pointer dir);

    /** The library, loaded once. */
    static LibC get() {
        return Holder.LIBC;
    }

    /** Loaded on first use: a machine without the sandbox never loads it. */
    final class Holder {
        // paths as UTF-8 whatever the locale (Java 17's default charset follows it): the names the sandbox sees
        private static final LibC LIBC = Native.load("c", LibC.class, java.util.Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));

        private Holder() {
        }
    }

    /** Which architecture's flag numbers apply. */
    final class Arch {
        static final boolean AARCH64 = System.getProperty("os.arch", "").equals("aarch64");

        private Arch() {
        }
    }
}
