package dev.runnerdesk.provider.local;

import java.util.HashMap;
import java.util.Map;

/**
 * Syscall numbers, from the kernel's {@code arch/x86/entry/syscalls/syscall_64.tbl} and
 * {@code include/uapi/asm-generic/unistd.h} (aarch64 uses the generic table: it has no open, creat, chmod, mknod,
 * iopl or ioperm). Numbers from 424 up are the same on every architecture.
 */
final class SyscallNumbers {
    static final Map<String, Integer> X86_64;
    static final Map<String, Integer> AARCH64;

    static {
        Map<String, Integer> x = new HashMap<>();
        Map<String, Integer> g = new HashMap<>();
        // name, x86_64, aarch64 (-1: not on that architecture)
        Object[][] rows = {
                {"ioctl", 16, 29},
                {"socket", 41, 198},
                {"open", 2, -1},
                {"openat", 257, 56},
                {"creat", 85, -1},
                {"chmod", 90, -1},
                {"fchmod", 91, 52},
                {"fchmodat", 268, 53},
                {"mknod", 133, -1},
                {"mknodat", 259, 33},
                {"personality", 135, 92},
                {"clone", 56, 220},
                {"unshare", 272, 97},
                {"ptrace", 101, 117},
                {"process_vm_readv", 310, 270},
                {"process_vm_writev", 311, 271},
                {"kexec_load", 246, 104},
                {"kexec_file_load", 320, 294},
                {"bpf", 321, 280},
                {"perf_event_open", 298, 241},
                {"userfaultfd", 323, 282},
                {"keyctl", 250, 219},
                {"add_key", 248, 217},
                {"request_key", 249, 218},
                {"mount", 165, 40},
                {"umount2", 166, 39},
                {"pivot_root", 155, 41},
                {"chroot", 161, 51},
                {"setns", 308, 268},
                {"open_by_handle_at", 304, 265},
                {"name_to_handle_at", 303, 264},
                {"init_module", 175, 105},
                {"finit_module", 313, 273},
                {"delete_module", 176, 106},
                {"swapon", 167, 224},
                {"swapoff", 168, 225},
                {"reboot", 169, 142},
                {"acct", 163, 89},
                {"quotactl", 179, 60},
                {"lookup_dcookie", 212, 18},
                {"iopl", 172, -1},
                {"ioperm", 173, -1},
                {"vhangup", 153, 58},
                {"memfd_create", 319, 279},
                {"execveat", 322, 281},
                {"io_uring_setup", 425, 425},
                {"io_uring_enter", 426, 426},
                {"io_uring_register", 427, 427},
                {"open_tree", 428, 428},
                {"move_mount", 429, 429},
                {"fsopen", 430, 430},
                {"fsconfig", 431, 431},
                {"fsmount", 432, 432},
                {"fspick", 433, 433},
                {"clone3", 435, 435},
                {"openat2", 437, 437},
                {"pidfd_getfd", 438, 438},
                {"process_madvise", 440, 440},
                {"mount_setattr", 442, 442},
                {"quotactl_fd", 443, 443},
                {"fchmodat2", 452, 452},
                {"open_tree_attr", 467, 467},
        };
        for (Object[] row : rows) {
            String name = (String) row[0];
            if ((int) row[1] >= 0) {
                x.put(name, (Integer) row[1]);
            }
            if ((int) row[2] >= 0) {
                g.put(name, (Integer) row[2]);
            }
        }
        X86_64 = Map.copyOf(x);
        AARCH64 = Map.copyOf(g);
    }

    private SyscallNumbers() {
    }
}
