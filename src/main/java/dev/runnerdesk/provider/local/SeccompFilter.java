package dev.runnerdesk.provider.local;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The seccomp program a sandbox runs under, for bubblewrap's {@code --seccomp FD}: classic BPF, an array of
 * {@code struct sock_filter {u16 code; u8 jt; u8 jf; u32 k;}} in the machine's (little-endian) byte order, as
 * {@code seccomp_export_bpf} writes it. Built here rather than with libseccomp so nothing native is needed: the
 * instructions by {@link BpfAssembler}, with the numbers of {@link SyscallNumbers}.
 *
 * <p>A denylist: everything not named below is allowed. It refuses what a sandboxed command has no business
 * doing and what would reach past the sandbox — debugging other processes, loading kernel code, mounting,
 * new namespaces, typing into the terminal (TIOCSTI), and making a setuid/setgid file that the host could run.
 * A call made through another ABI (x32, or i386 via {@code int 0x80}) kills the process: the rules below are
 * written for the native syscall numbers only.
 */
final class SeccompFilter {
    static final int EPERM = 1;
    static final int ENOSYS = 38;

    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_ERRNO = 0x00050000;
    static final int RET_ALLOW = 0x7fff0000;

    /** Offsets into {@code struct seccomp_data}: nr, arch, then six 64-bit args (low word first, little-endian). */
    static final int OFFSET_NR = 0;
    static final int OFFSET_ARCH = 4;
    static final int OFFSET_ARGS = 16;

    private static final int X32_SYSCALL_BIT = 0x40000000;
    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET; clone(2)'s low byte is the exit signal. */
    private static final int CLONE_NEW_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
            | 0x20000000 | 0x40000000;
    /** unshare(2) can also make a time namespace (CLONE_NEWTIME, which clone(2) cannot). */
    private static final int UNSHARE_NEW_NAMESPACES = CLONE_NEW_NAMESPACES | 0x00000080;
    private static final int S_ISUID_ISGID = 04000 | 02000;
    /** O_CREAT, and the bit of O_TMPFILE that is not O_DIRECTORY: the same on x86_64 and aarch64. */
    private static final int O_CREAT_OR_TMPFILE = 0100 | 020000000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int TIOCSTI = 0x5412;
    private static final int AF_UNIX = 1;
    private static final int TIOCLINUX = 0x541C;

    /** What {@link #forThisMachine} gives: the program, or why there is none. */
    record Result(Optional<byte[]> program, String reasonIfEmpty) {
    }

    private SeccompFilter() {
    }

    /**
     * The filter for this machine's architecture, or empty (with the reason) where we don't know its syscall table.
     * {@code restricted} (a profile that allows only some programs) also refuses {@code memfd_create} (no anonymous
     * files to run) and {@code execveat} (no running a descriptor).
     */
    static Result forThisMachine(boolean restricted) {
        return forThisMachine(restricted, false);
    }

    /**
     * As {@link #forThisMachine(boolean)}; with {@code hostNetwork} (a sandbox that shares this computer's
     * network namespace) also no {@code socket(AF_UNIX)}: that namespace's abstract UNIX sockets are the
     * desktop's own (X11, D-Bus, IBus), reachable by name from any process in it. {@code socketpair} stays.
     */
    static Result forThisMachine(boolean restricted, boolean hostNetwork) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return new Result(Optional.empty(), "no seccomp filter for a big-endian machine: the program is written little-endian");
        }
        return forArch(System.getProperty("os.arch", ""), restricted, hostNetwork);
    }

    static Result forArch(String osArch, boolean restricted) {
        return forArch(osArch, restricted, false);
    }

    static Result forArch(String osArch, boolean restricted, boolean hostNetwork) {
        return Arch.of(osArch)
                .map(arch -> new Result(Optional.of(program(arch, restricted, hostNetwork)), ""))
                .orElseGet(() -> new Result(Optional.empty(), "no seccomp filter for the \"" + osArch
                        + "\" architecture: its syscall numbers are not known here (known: x86_64, aarch64)"));
    }

    /** The architectures whose syscall numbers are written down here, with their AUDIT_ARCH value. */
    enum Arch {
        X86_64(0xC000003E, true, SyscallNumbers.X86_64),
        AARCH64(0xC00000B7, false, SyscallNumbers.AARCH64);

        final int auditArch;
        /** x86_64 kernels also accept x32 calls (nr with bit 30 set) under the same AUDIT_ARCH: they are refused. */
        final boolean hasX32;
        final Map<String, Integer> syscalls;

        Arch(int auditArch, boolean hasX32, Map<String, Integer> syscalls) {
            this.auditArch = auditArch;
            this.hasX32 = hasX32;
            this.syscalls = syscalls;
        }

        static Optional<Arch> of(String osArch) {
            return switch (osArch.toLowerCase(Locale.ROOT)) {
                case "amd64", "x86_64" -> Optional.of(X86_64);
                case "aarch64", "arm64" -> Optional.of(AARCH64);
                default -> Optional.empty();
            };
        }
    }

    /** Calls refused outright with EPERM; a name missing from an architecture's table does not exist there. */
    static final List<String> DENIED = List.of(
            // reading or steering other processes
            "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "process_madvise",
            // kernel code, kernel state, kernel attack surface
            "kexec_load", "kexec_file_load", "bpf", "perf_event_open", "userfaultfd", "init_module", "finit_module",
            "delete_module", "io_uring_setup", "io_uring_enter", "io_uring_register", "lookup_dcookie",
            // the kernel keyring is shared beyond the sandbox
            "keyctl", "add_key", "request_key",
            // the file system layout bubblewrap built stays as it is
            "mount", "umount2", "pivot_root", "chroot", "setns", "move_mount", "open_tree", "open_tree_attr", "fsopen",
            "fsmount", "fsconfig", "fspick", "mount_setattr", "open_by_handle_at", "name_to_handle_at",
            // host administration
            "swapon", "swapoff", "reboot", "acct", "quotactl", "quotactl_fd", "vhangup", "iopl", "ioperm");

    /** Also refused for a profile that allows only some programs. */
    static final List<String> DENIED_RESTRICTED = List.of("memfd_create", "execveat");

    /** Calls whose arguments cannot be inspected (they take a struct pointer): ENOSYS, so glibc falls back to the old call. */
    static final List<String> NOT_IMPLEMENTED = List.of("clone3", "openat2");

    private static byte[] program(Arch arch, boolean restricted, boolean hostNetwork) {
        Map<String, Integer> nr = arch.syscalls;
        BpfAssembler a = new BpfAssembler();

        BpfAssembler.Label nativeArch = a.label();
        a.load(OFFSET_ARCH);
        a.jeq(arch.auditArch, nativeArch, null);
        a.ret(RET_KILL_PROCESS);
        a.bind(nativeArch);
        a.load(OFFSET_NR);
        if (arch.hasX32) {
            BpfAssembler.Label notX32 = a.label();
            a.jge(X32_SYSCALL_BIT, null, notX32);
            // nr -1 is "no call" (a tracer's skip); the kernel answers ENOSYS for it
            a.jeq(0xFFFFFFFF, notX32, null);
            a.ret(RET_KILL_PROCESS);
            a.bind(notX32);
        }

        List<String> denied = new ArrayList<>(DENIED);
        if (restricted) {
            denied.addAll(DENIED_RESTRICTED);
        }
        denyAll(a, numbers(nr, denied), RET_ERRNO | EPERM);
        denyAll(a, numbers(nr, NOT_IMPLEMENTED), RET_ERRNO | ENOSYS);

        // personality(2): only the query forms; the rest can turn off address-space randomization or change the ABI
        onlyValues(a, nr.get("personality"), 0, new int[] {0, 0xFFFFFFFF});
        // new namespaces: another user namespace gives back every capability inside it
        denyFlags(a, nr.get("clone"), 0, CLONE_NEW_NAMESPACES);
        denyFlags(a, nr.get("unshare"), 0, UNSHARE_NEW_NAMESPACES);
        // pushing bytes into the terminal's input (TIOCSTI) or the console (TIOCLINUX) types commands for someone
        // else; ioctl's request is an unsigned int, so the low word is all the kernel reads too
        denyValues(a, nr.get("ioctl"), 1, new int[] {TIOCSTI, TIOCLINUX});
        if (hostNetwork) {
            denyValues(a, nr.get("socket"), 0, new int[] {AF_UNIX});
        }
        // no setuid/setgid file may come out of the sandbox
        denyFlags(a, nr.get("chmod"), 1, S_ISUID_ISGID);
        denyFlags(a, nr.get("fchmod"), 1, S_ISUID_ISGID);
        denyFlags(a, nr.get("fchmodat"), 2, S_ISUID_ISGID);
        denyFlags(a, nr.get("fchmodat2"), 2, S_ISUID_ISGID);
        denyCreateMode(a, nr.get("open"), 1, 2);
        denyCreateMode(a, nr.get("openat"), 2, 3);
        denyCreateMode(a, nr.get("creat"), -1, 1);
        // mknod makes device nodes, sockets and regular files too; a named pipe (mkfifo) is all a command needs
        onlyFifo(a, nr.get("mknod"), 1);
        onlyFifo(a, nr.get("mknodat"), 2);

        a.ret(RET_ALLOW);
        return a.assemble();
    }

    private static List<Integer> numbers(Map<String, Integer> table, List<String> names) {
        List<Integer> numbers = new ArrayList<>();
        for (String name : names) {
            Integer n = table.get(name);
            if (n != null) {
                numbers.add(n);
            }
        }
        return numbers;
    }

    private static int argLow(int arg) {
        return OFFSET_ARGS + 8 * arg;
    }

    /** {@code if (nr in numbers) return action}: one compare each, all jumping to one return. */
    private static void denyAll(BpfAssembler a, List<Integer> numbers, int action) {
        if (numbers.isEmpty()) {
            return;
        }
        BpfAssembler.Label deny = a.label();
        BpfAssembler.Label next = a.label();
        for (int i = 0; i < numbers.size() - 1; i++) {
            a.jeq(numbers.get(i), deny, null);
        }
        a.jeq(numbers.get(numbers.size() - 1), null, next);
        a.bind(deny);
        a.ret(action);
        a.bind(next);
    }

    /** {@code if (nr == call) return (arg & flags) ? EPERM : ALLOW}. */
    private static void denyFlags(BpfAssembler a, Integer call, int arg, int flags) {
        if (call == null) {
            return;
        }
        BpfAssembler.Label next = a.label();
        BpfAssembler.Label allow = a.label();
        a.jeq(call, null, next);
        a.load(argLow(arg));
        a.jset(flags, null, allow);
        a.ret(RET_ERRNO | EPERM);
        a.bind(allow);
        a.ret(RET_ALLOW);
        a.bind(next);
    }

    /** {@code if (nr == call) return arg in values ? EPERM : ALLOW}. */
    private static void denyValues(BpfAssembler a, Integer call, int arg, int[] values) {
        if (call == null) {
            return;
        }
        BpfAssembler.Label next = a.label();
        BpfAssembler.Label deny = a.label();
        a.jeq(call, null, next);
        a.load(argLow(arg));
        for (int v : values) {
            a.jeq(v, deny, null);
        }
        a.ret(RET_ALLOW);
        a.bind(deny);
        a.ret(RET_ERRNO | EPERM);
        a.bind(next);
    }

    /** {@code if (nr == call) return arg in values ? ALLOW : EPERM}. */
    private static void onlyValues(BpfAssembler a, Integer call, int arg, int[] values) {
        if (call == null) {
            return;
        }
        BpfAssembler.Label next = a.label();
        BpfAssembler.Label allow = a.label();
        a.jeq(call, null, next);
        a.load(argLow(arg));
        for (int v : values) {
            a.jeq(v, allow, null);
        }
        a.ret(RET_ERRNO | EPERM);
        a.bind(allow);
        a.ret(RET_ALLOW);
        a.bind(next);
    }

    /**
     * An open that creates a file ({@code O_CREAT}, or {@code O_TMPFILE} to link it in later) with a setuid/setgid
     * mode: EPERM. {@code flagsArg} -1 is creat(2), which always creates. Without those flags the mode is ignored.
     */
    private static void denyCreateMode(BpfAssembler a, Integer call, int flagsArg, int modeArg) {
        if (call == null) {
            return;
        }
        BpfAssembler.Label next = a.label();
        BpfAssembler.Label allow = a.label();
        a.jeq(call, null, next);
        if (flagsArg >= 0) {
            a.load(argLow(flagsArg));
            a.jset(O_CREAT_OR_TMPFILE, null, allow);
        }
        a.load(argLow(modeArg));
        a.jset(S_ISUID_ISGID, null, allow);
        a.ret(RET_ERRNO | EPERM);
        a.bind(allow);
        a.ret(RET_ALLOW);
        a.bind(next);
    }

    /** mknod: a FIFO without setuid/setgid bits is allowed, anything else is EPERM. */
    private static void onlyFifo(BpfAssembler a, Integer call, int modeArg) {
        if (call == null) {
            return;
        }
        BpfAssembler.Label next = a.label();
        BpfAssembler.Label deny = a.label();
        BpfAssembler.Label allow = a.label();
        a.jeq(call, null, next);
        a.load(argLow(modeArg));
        a.jset(S_ISUID_ISGID, deny, null);
        a.and(S_IFMT);
        a.jeq(S_IFIFO, allow, null);
        a.bind(deny);
        a.ret(RET_ERRNO | EPERM);
        a.bind(allow);
        a.ret(RET_ALLOW);
        a.bind(next);
    }
}
