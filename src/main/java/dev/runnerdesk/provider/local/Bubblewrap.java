package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.ProfilePolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bubblewrap command line of a runner's sandbox. System directories read-only; a fresh /tmp, /proc
 * and /dev; new user, PID, IPC, UTS (and, without network, net) namespaces; dies with RunnerDesk; a clean
 * environment; the workspace at /workspace. For a profile that does not allow every command, the program
 * directories hold only the allowed programs, so the sandbox itself has nothing else to run.
 */
final class Bubblewrap {
    static final String WORKSPACE = "/workspace";
    static final String PATH = "/usr/bin:/bin";
    /** Where a terminal's start-up waits for the host to say the egress proxy listens. */
    static final String SIGNALS = "/run/runnerdesk";
    /** Program directories emptied for a restricted profile. */
    private static final List<String> PROGRAM_DIRS = List.of("/usr/bin", "/usr/sbin", "/usr/local", "/usr/games");
    /** Places under /usr/lib that hold whole program trees a restricted profile must not reach. */
    private static final List<String> HIDDEN_PROGRAM_TREES = List.of("/usr/lib/jvm", "/usr/lib/git-core", "/usr/lib/chromium",
            "/usr/lib/node_modules", "/usr/libexec");
    /** What of /etc a shell and common tools need; the rest of the host's configuration stays outside. */
    private static final List<String> ETC = List.of("/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf",
            "/etc/ld.so.conf.d", "/etc/localtime", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf",
            "/etc/ssl", "/etc/ca-certificates", "/etc/profile", "/etc/profile.d", "/etc/bash.bashrc", "/etc/inputrc",
            "/etc/terminfo", "/etc/mime.types", "/etc/protocols", "/etc/services", "/etc/locale.alias", "/etc/environment");
    private static final List<String> HOST_PROGRAM_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin");

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

    /**
     * The command line. With an egress allowlist the sandbox keeps its own empty network and reaches the
     * world only through {@link EgressProxy} at 127.0.0.1:3128; {@code exec} then waits on stdin
     * ({@code --block-fd 0}, which also leaves the command no stdin) until the proxy listens.
     */
    List<String> command(SandboxDirs dirs, ProfilePolicy policy, Mode mode, List<String> argv) {
        boolean proxied = policy.networkMode() == NetworkMode.ALLOWLIST;
        List<String> c = new ArrayList<>();
        c.add(bwrap.toString());
        c.add("--die-with-parent");
        c.add("--unshare-all");
        if (policy.networkMode() == NetworkMode.FULL) {
            c.add("--share-net");
        }
        if (mode == Mode.EXEC) {
            c.add("--new-session");
            if (proxied) {
                c.addAll(List.of("--block-fd", "0"));
            }
        }
        c.addAll(List.of("--hostname", "runner", "--uid", "1000", "--gid", "1000"));
        c.addAll(List.of("--ro-bind", "/usr", "/usr"));
        if (!policy.allowsEveryCommand()) {
            for (String dir : PROGRAM_DIRS) {
                if (Files.isDirectory(Path.of(dir))) {
                    c.addAll(List.of("--tmpfs", dir));
                }
            }
            for (String dir : HIDDEN_PROGRAM_TREES) {
                if (Files.isDirectory(Path.of(dir))) {
                    c.addAll(List.of("--tmpfs", dir));
                }
            }
            allowedPrograms(policy, mode).forEach((name, real) -> c.addAll(List.of("--ro-bind", real.toString(), "/usr/bin/" + name)));
        }
        for (String top : List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32")) {
            Path host = Path.of("/" + top);
            if (Files.isSymbolicLink(host)) {
                try {
                    c.addAll(List.of("--symlink", Files.readSymbolicLink(host).toString(), "/" + top));
                } catch (IOException e) {
                    // unreadable link: leave it out
                }
            } else if (Files.isDirectory(host)) {
                // a system without merged /usr: its /bin and /sbin are program directories too
                boolean programs = top.endsWith("bin");
                c.addAll(programs && !policy.allowsEveryCommand() ? List.of("--symlink", "usr/" + top, "/" + top)
                        : List.of("--ro-bind", "/" + top, "/" + top));
            }
        }
        c.addAll(List.of("--dir", "/etc"));
        for (String etc : ETC) {
            if (Files.exists(Path.of(etc))) {
                c.addAll(List.of("--ro-bind", etc, etc));
            }
        }
        c.addAll(List.of("--ro-bind", dirs.passwd().toString(), "/etc/passwd", "--ro-bind", dirs.group().toString(), "/etc/group"));
        c.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
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
        c.add("--");
        c.addAll(argv);
        return c;
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
            // the session's shell itself; what it can start is still only the allowed programs
            shell().ifPresent(real -> programs.put(real.getFileName().toString().equals("bash") ? "bash" : "sh", real));
            findProgram("sh").ifPresent(real -> programs.putIfAbsent("sh", real));
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

    /** A runner's directories on the host: the workspace, and the passwd/group files its sandbox sees. */
    record SandboxDirs(Path root, Path workspace, Path passwd, Path group, Path signals) {
        static SandboxDirs of(Path root) {
            return new SandboxDirs(root, root.resolve("workspace"), root.resolve("etc-passwd"), root.resolve("etc-group"),
                    root.resolve("signals"));
        }

        void create() throws IOException {
            Files.createDirectories(workspace);
            Files.createDirectories(signals);
            Files.writeString(passwd, "root:x:0:0:root:/root:/bin/sh\nrunner:x:1000:1000:runner:" + WORKSPACE + ":/bin/bash\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
            Files.writeString(group, "root:x:0:\nrunner:x:1000:\nnogroup:x:65534:\n");
        }
    }
}
