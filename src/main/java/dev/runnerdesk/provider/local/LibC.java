package dev.runnerdesk.provider.local;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The few C library calls the local sandbox needs that Java has no API for (through JNA, which pty4j uses too). */
interface LibC extends Library {
    int SIGKILL = 9;
    int SIGSTOP = 19;
    int EPERM = 1;

    int kill(int pid, int sig);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);

    /** The library, loaded once. */
    static LibC get() {
        return Holder.LIBC;
    }

    /** Loaded on first use: a machine without the sandbox never loads it. */
    final class Holder {
        private static final LibC LIBC = Native.load("c", LibC.class);

        private Holder() {
        }
    }
}
