package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.ProfilePolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bubblewrap command line of a runner's sandbox. New user, PID, IPC, UTS (and, without network, net)
 * namespaces; dies with RunnerDesk; an empty environment but for what the sandbox needs; the workspace at
 * /workspace, a size-limited /tmp and /dev/shm that {@link SandboxLauncher} mounts before bubblewrap starts.
 * <p>For a profile that allows only some programs, the sandbox's file system holds nothing of /usr but those
 * programs, the libraries and loader they need ({@link ProgramClosure}) and a few data folders, and every
 * writable place is mounted noexec: no other program can be started, by the loader or otherwise. A profile
 * that allows every command sees the host's /usr, read-only.
 */
final class Bubblewrap {
    static final String WORKSPACE = "/workspace";
    static final String PATH = "/usr/bin:/bin";
    /** Where a terminal's start-up waits for the host to say the egress proxy listens. */
    static final String SIGNALS = "/run/runnerdesk";
    /** What of /etc a shell and common tools need; the rest of the host's configuration stays outside. */
    private static final List<String> ETC = List.of("/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf",
            "/etc/ld.so.conf.d", "/etc/localtime", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf",
            "/etc/ssl", "/etc/ca-certificates", "/etc/profile", "/etc/profile.d", "/etc/bash.bashrc", "/etc/inputrc",
            "/etc/terminfo", "/etc/mime.types", "/etc/protocols", "/etc/services", "/etc/locale.alias", "/etc/environment");
    /** Data a restricted sandbox's programs read (terminal descriptions, time zones, locales); no programs live here. */
    private static final List<String> RESTRICTED_DATA = List.of("/usr/share/terminfo", "/usr/lib/terminfo", "/lib/terminfo",
            "/usr/share/zoneinfo", "/usr/lib/locale", "/usr/share/ca-certificates");
    private static final List<String> HOST_PROGRAM_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin");
    private static final List<String> TOP_LEVEL = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

    enum Mode {
        /** One command, no terminal: {@code --new-session} so it cannot reach the caller's terminal. */
        EXEC,
        /** An interactive shell on a PTY: no {@code --new-session}, so job control and Ctrl+C work. */
        PTY
    }

    private final Path bwrap;

    Bubblewrap(Path bwrap) {
        this.bwrap = bwrap;
    }

    Path program() {
        return bwrap;
    }

    /**
     * The command line. With an egress allowlist the sandbox keeps its own empty network and reaches the
     * world only through {@link EgressProxy} at 127.0.0.1:3128; {@code exec} then waits on stdin
     * ({@code --block-fd 0}, which also leaves the command no stdin) until the proxy listens. With a
     * seccomp filter, bubblewrap reads it from descriptor {@link SandboxLauncher#SECCOMP_FD}.
     */
    List<String> command(SandboxDirs dirs, ProfilePolicy policy, Mode mode, boolean seccomp, List<String> argv) {
        boolean proxied = policy.networkMode() == NetworkMode.ALLOWLIST;
        boolean restricted = !policy.allowsEveryCommand();
        List<String> c = new ArrayList<>();
        c.add(bwrap.toString());
        c.add("--die-with-parent");
        // the command is PID 1 itself: no bubblewrap process inside whose /proc/1/exe or command line the agent could use
        c.add("--as-pid-1");
        c.add("--unshare-all");
        c.add("--unshare-user");
        if (policy.networkMode() == NetworkMode.FULL) {
            c.add("--share-net");
        }
        // no user namespaces inside: they would give the agent a fresh set of capabilities to try the kernel with
        c.add("--disable-userns");
        if (seccomp) {
            c.addAll(List.of("--seccomp", Integer.toString(SandboxLauncher.SECCOMP_FD)));
        }
        if (mode == Mode.EXEC) {
            c.add("--new-session");
            if (proxied) {
                c.addAll(List.of("--block-fd", "0"));
            }
        }
        c.addAll(List.of("--hostname", "runner", "--uid", "1000", "--gid", "1000"));
        if (restricted) {
            restrictedRoot(c, policy, mode);
        } else {
            c.addAll(List.of("--ro-bind", "/usr", "/usr"));
            for (String top : TOP_LEVEL) {
                Path host = Path.of("/" + top);
                if (Files.isSymbolicLink(host)) {
                    readLink(host).ifPresent(target -> c.addAll(List.of("--symlink", target, "/" + top)));
                } else if (Files.isDirectory(host)) {
                    c.addAll(List.of("--ro-bind", "/" + top, "/" + top));
                }
            }
        }
        c.addAll(List.of("--dir", "/etc"));
        for (String etc : ETC) {
            if (Files.exists(Path.of(etc))) {
                c.addAll(List.of("--ro-bind", etc, etc));
            }
        }
        c.addAll(List.of("--ro-bind", dirs.passwd().toString(), "/etc/passwd", "--ro-bind", dirs.group().toString(), "/etc/group"));
        // /tmp and /dev/shm: size-limited tmpfs mounts the launcher made (noexec for a restricted profile)
        c.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--bind", dirs.tmp().toString(), "/tmp",
                "--bind", dirs.shm().toString(), "/dev/shm"));
        c.addAll(List.of("--bind", dirs.workspace().toString(), WORKSPACE, "--chdir", WORKSPACE));
        c.add("--clearenv");
        environment(mode).forEach((k, v) -> c.addAll(List.of("--setenv", k, v)));
        if (proxied) {
            String proxy = "http://127.0.0.1:" + EgressProxy.PORT;
            for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")) {
                c.addAll(List.of("--setenv", name, proxy));
            }
            // the host's 127.0.0.1 is another machine to the sandbox: only its own "localhost" skips the proxy
            c.addAll(List.of("--setenv", "NO_PROXY", "localhost", "--setenv", "no_proxy", "localhost"));
            c.addAll(List.of("--ro-bind", dirs.signals().toString(), SIGNALS));
        }
        // bubblewrap's own / and /dev are tmpfs mounts as large as half the memory, executable, writable by the
        // sandbox: once built they become read-only, so /workspace, /tmp and /dev/shm, size-limited (and noexec
        // for a restricted profile), are the only places a command can write
        c.addAll(List.of("--remount-ro", "/dev", "--remount-ro", "/"));
        c.add("--");
        c.addAll(argv);
        return c;
    }

    /** Only the allowed programs at /usr/bin/NAME, their libraries and loader at their own paths, and data folders. */
    private static void restrictedRoot(List<String> c, ProfilePolicy policy, Mode mode) {
        Map<String, Path> programs = allowedPrograms(policy, mode);
        ProgramClosure.View closure = ProgramClosure.of(programs.values());
        Map<Path, String> links = new LinkedHashMap<>();
        for (String top : TOP_LEVEL) {
            Path host = Path.of("/" + top);
            if (top.endsWith("bin")) {
                // whatever the host's layout, programs are found at /usr/bin, /bin and /sbin alike
                links.put(host, "usr/bin");
            } else if (Files.isSymbolicLink(host)) {
                readLink(host).ifPresent(target -> links.put(host, target));
            }
        }
        closure.links().forEach(links::putIfAbsent);
        c.addAll(List.of("--dir", "/usr/bin"));
        links.forEach((link, target) -> c.addAll(List.of("--symlink", target, link.toString())));
        for (Path file : closure.files()) {
            c.addAll(List.of("--ro-bind", file.toString(), file.toString()));
        }
        programs.forEach((name, real) -> c.addAll(List.of("--ro-bind", real.toString(), "/usr/bin/" + name)));
        for (String data : RESTRICTED_DATA) {
            Path host = Path.of(data);
            if (Files.isDirectory(host) && !Files.isSymbolicLink(host) && !underLink(host, links)) {
                c.addAll(List.of("--ro-bind", data, data));
            }
        }
    }

    /** Whether a path lies under one of the links made inside (then its real location is bound instead, if at all). */
    private static boolean underLink(Path path, Map<Path, String> links) {
        return links.keySet().stream().anyMatch(path::startsWith);
    }

    private static Optional<String> readLink(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> environment(Mode mode) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", WORKSPACE);
        env.put("USER", "runner");
        env.put("LANG", "C.UTF-8");
        env.put("TERM", mode == Mode.PTY ? "xterm-256color" : "dumb");
        if (mode == Mode.PTY) {
            env.put("PS1", "\\[\\e[1;32m\\]runner\\[\\e[0m\\]:\\[\\e[1;34m\\]\\w\\[\\e[0m\\]\\$ ");
        }
        return env;
    }

    /** The shell for a terminal: bash if the host has it, else sh. */
    static Optional<Path> shell() {
        return findProgram("bash").or(() -> findProgram("sh"));
    }

    private static Map<String, Path> allowedPrograms(ProfilePolicy policy, Mode mode) {
        Map<String, Path> programs = new LinkedHashMap<>();
        for (String name : policy.allowedCommands()) {
            findProgram(name).ifPresent(real -> programs.put(name, real));
        }
        if (mode == Mode.PTY) {
            // the session's shell itself, also as sh: one program more than the profile's, never a second shell
            shell().ifPresent(real -> {
                programs.put(real.getFileName().toString().equals("bash") ? "bash" : "sh", real);
                programs.putIfAbsent("sh", real);
            });
        }
        return programs;
    }

    static Optional<Path> findProgram(String name) {
        for (String dir : HOST_PROGRAM_DIRS) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                try {
                    return Optional.of(candidate.toRealPath());
                } catch (IOException e) {
                    // a dangling link: try the next directory
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A runner's directories on the host: the workspace, the passwd/group files its sandbox sees, and the
     * empty folders the launcher mounts each sandbox's own /tmp and /dev/shm on (in its private mount namespace).
     */
    record SandboxDirs(Path root, Path workspace, Path passwd, Path group, Path signals, Path tmp, Path shm) {
        private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

        static SandboxDirs of(Path root) {
            return new SandboxDirs(root, root.resolve("workspace"), root.resolve("etc-passwd"), root.resolve("etc-group"),
                    root.resolve("signals"), root.resolve("mnt-tmp"), root.resolve("mnt-shm"));
        }

        /** Makes the folders (also those a runner made by an older version lacks). */
        void ensure() throws IOException {
            for (Path dir : List.of(root, workspace, signals, tmp, shm)) {
                Files.createDirectories(dir, PRIVATE_DIR);
                Files.setPosixFilePermissions(dir, PRIVATE_DIR.value()); // also one an older version made 0755
            }
        }

        /** The folder and what RunnerDesk keeps directly in it: folders 0700, files 0600 (links are left alone). */
        void makePrivate() throws IOException {
            ensure();
            try (var entries = Files.newDirectoryStream(root)) {
                for (Path entry : entries) {
                    if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(entry, PRIVATE_FILE.value());
                    } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(entry, PRIVATE_DIR.value());
                    }
                }
            }
        }

        void create() throws IOException {
            ensure();
            write(passwd, "root:x:0:0:root:/root:/bin/sh\nrunner:x:1000:1000:runner:" + WORKSPACE + ":/bin/bash\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
            write(group, "root:x:0:\nrunner:x:1000:\nnogroup:x:65534:\n");
        }

        /** Writes a file that is the user's alone from its creation. */
        private static void write(Path file, String text) throws IOException {
            Files.deleteIfExists(file);
            Files.writeString(Files.createFile(file, PRIVATE_FILE), text);
        }
    }
}
