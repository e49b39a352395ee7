package dev.runnerdesk.provider.local;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.HostProcesses;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.testutil.TerminalSession.Printable;
import dev.runnerdesk.testutil.TerminalSession.Typed;
import dev.runnerdesk.testutil.TerminalSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The `local` sandbox attacked as a hostile agent would (issue 13, breaks 1–4 and their relatives): each test
 * tries one kind of break by every route we know, through {@code exec} and through the PTY terminal where the
 * route applies, and fails naming each route that got through and what it printed. A test passes only when no
 * route got through. Nothing here sleeps to wait for output; every step has its own deadline.
 *
 * <p>Payloads print a marker the sandbox has to compute ({@code PWNED-$((6*7))} prints {@code PWNED-42}), so
 * the echo of a typed command never counts as success. The "program" planted in a workspace is the host's own
 * shell (its bytes written from here into the runner's workspace folder), a program not on {@code locked}'s list.
 *
 * <p>What counts as a program in {@code locked}: anything executed that is not one of the profile's programs.
 * Two exceptions, both unavoidable and harmless: in a terminal, the terminal's own shell binary (started again as
 * {@code bash -c} it is still that binary; a different {@code sh} is not); and running the dynamic loader or a
 * shared library ({@code ld.so --version}, {@code libc.so.6}) directly, which runs only code every allowed
 * program already runs. The loader as a route to any other file is an attack and is tested as one.
 *
 * <p>Meant to run as root (CI) and as an ordinary user (a desktop); the one check that needs a root-only host file
 * ({@code /etc/shadow}) is left out when the test cannot read it.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SandboxEscapeTest {
    /** Set for the test JVM by surefire (pom.xml): a host variable no sandbox may ever read. */
    static final String CANARY_VARIABLE = "RUNNERDESK_CANARY";
    static final String CANARY = "canary-qv7xkm3ztw9r";
    /** What any output holding the value (or a transformed copy of it) contains. */
    static final String CANARY_TAIL = "qv7xkm3ztw9r";
    /** Matches the value without containing it, so the searching command's own cmdline never matches. */
    static final String CANARY_REGEX = "qv7xkm3ztw9[r]";
    static final String PAYLOAD = "echo PWNED-$((6*7))";
    static final String PWNED = "PWNED-42";
    static final Duration STEP = Duration.ofSeconds(60);
    static final String NO_SPACE = "No space left on device";
    static final String NO_QUOTA = "Disk quota exceeded";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private RunnerService service;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final Map<String, Path> workspaces = new LinkedHashMap<>();

    @BeforeEach
    void open() {
        runtime = EmbeddedRuntimes.open(dataDir);
        service = runtime.serviceFor(Principal.localUser());
        Sandboxes.require(service);
    }

    @AfterEach
    void close() {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            try {
                c.close();
            } catch (Exception ignored) {
                // cleaning up: the next one still runs
            }
        }
        runtime.close();
    }

    // ------------------------------------------------------------------------------------------------------
    // 1. The host environment
    // ------------------------------------------------------------------------------------------------------

    @Test
    void theHostEnvironmentIsNeverReadableInsideThroughExec() {
        requireCanary();
        Breaches breaches = new Breaches("the host's " + CANARY_VARIABLE + " read from inside a sandbox (exec)");
        for (ToolProfile profile : List.of(ToolProfile.LOCKED, ToolProfile.WEB_AUTOMATION, ToolProfile.FULL_VM_TOOLS)) {
            Live live = start(profile);
            List<List<String>> routes = new ArrayList<>(List.of(
                    List.of("find", "/proc", "-maxdepth", "4", "-path", "/proc/[0-9]*", "(", "-name", "environ", "-o", "-name",
                            "cmdline", ")", "-exec", "grep", "-a", "-H", "-o", "[-_a-z0-9]*" + CANARY_REGEX, "{}", "+"),
                    List.of("find", "/proc", "-maxdepth", "2", "-name", "environ", "-exec", "cat", "{}", "+"),
                    List.of("cat", "/proc/1/environ"),
                    List.of("cat", "/proc/1/cmdline"),
                    List.of("cat", "/proc/self/environ"),
                    List.of("sed", "-z", "s/canary-/c4nary_/", "/proc/1/environ"),
                    List.of("grep", "-a", "-r", "-s", "--include=environ", "--include=cmdline", CANARY_REGEX, "/proc/1", "/proc/self"),
                    List.of("awk", "BEGIN{RS=\"\\0\"} {print}", "/proc/1/environ", "/proc/1/task/1/environ")));
            if (profile != ToolProfile.LOCKED) {
                routes.add(List.of("env"));
                routes.add(List.of("sh", "-c", "cat /proc/*/environ /proc/*/cmdline /proc/*/task/*/environ 2>/dev/null"
                        + " | tr '\\0' '\\n'; for f in /proc/[0-9]*/environ; do sed -z 's/canary-/c4nary_/' \"$f\"; done"));
            }
            for (List<String> argv : routes) {
                breaches.checkContains("exec in " + profile.wireName() + ": " + shown(argv), attempt(live, 60, argv), CANARY_TAIL);
            }
            // the control: output that holds the value does come back unchanged, so a leak would show above
            String control = attempt(live, 30, List.of("printf", "%s%s\\n", "canar", "y-" + CANARY_TAIL));
            assertTrue(control.contains(CANARY), () -> "the control printed the canary but exec did not return it as is: " + control);
        }
        breaches.assertNone();
    }

    @Test
    void theHostEnvironmentIsNeverReadableInsideThroughTheTerminal() {
        requireCanary();
        Breaches breaches = new Breaches("the host's " + CANARY_VARIABLE + " read from inside a sandbox (terminal)");
        for (ToolProfile profile : List.of(ToolProfile.LOCKED, ToolProfile.WEB_AUTOMATION, ToolProfile.FULL_VM_TOOLS)) {
            Live live = start(profile);
            TerminalSession tty = terminal(live, profile.wireName() + " terminal");
            List<String> scripts = new ArrayList<>(List.of(
                    "cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline /proc/[0-9]*/task/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -a '"
                            + CANARY_REGEX + "'",
                    "for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do cat \"$f\"; echo; done 2>/dev/null | tr '\\0' ' '",
                    "sed -z 's/canary-/c4nary_/' /proc/1/environ /proc/self/environ; echo",
                    "export -p | grep -a '" + CANARY_REGEX + "'",
                    "find /proc -maxdepth 2 -name environ -exec cat {} + | tr '\\0' '\\n'"));
            if (profile != ToolProfile.LOCKED) {
                scripts.add("env");
            }
            for (String script : scripts) {
                Typed typed = tty.run(script, STEP);
                breaches.checkContains(tty.name() + ": " + script, typed.output(), CANARY_TAIL);
            }
            // the control last, so nothing typed before it held the value
            Typed control = tty.run("printf '%s%s\\n' canar y-" + CANARY_TAIL, STEP);
            assertTrue(control.output().contains(CANARY), () -> "the control did not show the canary in the terminal: "
                    + Printable.of(control.output()));
        }
        breaches.assertNone();
    }

    /** bubblewrap's own command line is visible as PID 1's cmdline: it must not tell where the host keeps its data. */
    @Test
    void theHostDataDirPathIsNotVisibleInside() {
        String unique = dataDir.getFileName().toString();
        String regex = unique.substring(0, unique.length() - 1) + "[" + unique.charAt(unique.length() - 1) + "]";
        Breaches breaches = new Breaches("the host's data dir path (" + dataDir + ") seen from inside");
        for (ToolProfile profile : List.of(ToolProfile.LOCKED, ToolProfile.FULL_VM_TOOLS)) {
            Live live = start(profile);
            List<String> argv = List.of("find", "/proc", "-maxdepth", "4", "-path", "/proc/[0-9]*", "(", "-name", "environ", "-o",
                    "-name", "cmdline", ")", "-exec", "grep", "-a", "-H", "-o", "[-_./a-zA-Z0-9]*" + regex + "[-_./a-zA-Z0-9]*", "{}", "+");
            breaches.checkContains("exec in " + profile.wireName() + ": " + shown(argv), attempt(live, 60, argv), unique);
            TerminalSession tty = terminal(live, profile.wireName() + " terminal");
            String script = "cat /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -a '" + regex + "'";
            breaches.checkContains(tty.name() + ": " + script, tty.run(script, STEP).output(), unique);
        }
        breaches.assertNone();
    }

    // ------------------------------------------------------------------------------------------------------
    // 2. `locked` starts only the programs on its list
    // ------------------------------------------------------------------------------------------------------

    @Test
    void lockedCannotRunAWorkspaceFileThroughTheLoader() throws IOException {
        Live live = start(ToolProfile.LOCKED);
        plantShell(live, "bb", true);
        plantShell(live, "bb-data", false);
        Breaches breaches = new Breaches("locked ran a program written into its workspace through the dynamic loader");
        for (String loader : loaders()) {
            for (List<String> argv : List.of(
                    List.of("find", "/workspace/bb", "-exec", loader, "/workspace/bb", "-c", PAYLOAD, ";"),
                    List.of("find", "/workspace/bb", "-exec", loader, "--argv0", "sh", "{}", "-c", PAYLOAD, ";"),
                    List.of("find", "/workspace/bb-data", "-exec", loader, "{}", "-c", PAYLOAD, ";"),
                    List.of("find", "/workspace", "-maxdepth", "1", "-name", "bb", "-execdir", loader, "./bb", "-c", PAYLOAD, ";"))) {
                breaches.checkContains("exec: " + shown(argv), attempt(live, 60, argv), PWNED);
            }
        }
        TerminalSession tty = terminal(live, "locked terminal");
        String loader = loaders().get(0);
        for (String script : List.of(
                loader + " /workspace/bb -c '" + PAYLOAD + "'",
                loader + " /workspace/bb-data -c '" + PAYLOAD + "'",
                "find /workspace/bb -exec " + loader + " {} -c '" + PAYLOAD + "' \\;",
                "cp /workspace/bb-data /tmp/bb2; " + loader + " /tmp/bb2 -c '" + PAYLOAD + "'")) {
            breaches.checkContains(tty.name() + ": " + script, tty.run(script, STEP).output(), PWNED);
        }
        breaches.assertNone();
    }

    @Test
    void lockedCannotRunAWorkspaceFileDirectly() throws IOException {
        Live live = start(ToolProfile.LOCKED);
        plantShell(live, "bb", true);
        Files.createSymbolicLink(workspace(live).resolve("link"), Path.of("/workspace/bb"));
        Breaches breaches = new Breaches("locked ran a program written into its workspace");
        for (List<String> argv : List.of(
                List.of("find", "/workspace/bb", "-exec", "{}", "-c", PAYLOAD, ";"),
                List.of("find", "/workspace", "-maxdepth", "1", "-name", "bb", "-exec", "/workspace/bb", "-c", PAYLOAD, ";"),
                List.of("find", "/workspace", "-maxdepth", "1", "-name", "bb", "-execdir", "./bb", "-c", PAYLOAD, ";"),
                List.of("find", ".", "-maxdepth", "0", "-exec", "./bb", "-c", PAYLOAD, ";"),
                List.of("find", "/workspace/link", "-exec", "{}", "-c", PAYLOAD, ";"),
                List.of("find", "/workspace/bb", "-exec", "cp", "{}", "/workspace/copied", ";", "-exec", "/workspace/copied", "-c",
                        PAYLOAD, ";"))) {
            breaches.checkContains("exec: " + shown(argv), attempt(live, 60, argv), PWNED);
        }
        TerminalSession tty = terminal(live, "locked terminal");
        for (String script : List.of(
                "./bb -c '" + PAYLOAD + "'",
                "/workspace/link -c '" + PAYLOAD + "'",
                "(exec /workspace/bb -c '" + PAYLOAD + "')",
                "find . -maxdepth 1 -name bb -execdir ./bb -c '" + PAYLOAD + "' \\;")) {
            breaches.checkContains(tty.name() + ": " + script, tty.run(script, STEP).output(), PWNED);
        }
        breaches.assertNone();
    }

    /** Every place the sandbox can write to is a place a program could be run from: none may be. */
    @Test
    void lockedCannotRunFilesWrittenToAnyWritablePlace() throws IOException {
        Live live = start(ToolProfile.LOCKED);
        plantShell(live, "bb", true);
        ExecResult listing = exec(live, 60, "find", "/", "-path", "/proc", "-prune", "-o", "-type", "d", "-writable", "-print");
        Set<String> places = new LinkedHashSet<>(List.of("/tmp", "/dev/shm", "/dev", "/usr/bin", "/"));
        listing.stdout().lines().filter(l -> l.startsWith("/") && !l.startsWith("/workspace")).limit(40).forEach(places::add);
        String loader = loaders().get(0);
        Breaches breaches = new Breaches("locked ran a program copied into a writable place outside the workspace");
        for (String place : places) {
            String target = (place.endsWith("/") ? place : place + "/") + ".rd-bb";
            for (List<String> argv : List.of(
                    List.of("find", "/workspace/bb", "-exec", "cp", "{}", target, ";", "-exec", target, "-c", PAYLOAD, ";"),
                    List.of("find", "/workspace/bb", "-exec", "cp", "{}", target, ";", "-exec", loader, target, "-c", PAYLOAD, ";"))) {
                breaches.checkContains("exec: " + shown(argv), attempt(live, 60, argv), PWNED);
            }
        }
        // a copy named like an allowed program, or like the shell awk and sed start, in a writable program directory
        for (List<String> argv : List.of(
                List.of("find", "/workspace/bb", "-exec", "cp", "{}", "/usr/bin/sh", ";", "-exec", "awk",
                        "BEGIN{system(\"" + PAYLOAD + "\")}", ";"),
                List.of("find", "/workspace/bb", "-exec", "cp", "{}", "/usr/bin/sh", ";", "-exec", "sed", "-n", "1e " + PAYLOAD,
                        "/etc/hosts", ";"))) {
            breaches.checkContains("exec: " + shown(argv), attempt(live, 60, argv), PWNED);
        }
        TerminalSession tty = terminal(live, "locked terminal");
        for (String place : List.of("/tmp", "/dev/shm", "/dev", "/usr/bin", "/etc")) {
            String script = "cp /workspace/bb " + place + "/.rd-bb; " + place + "/.rd-bb -c '" + PAYLOAD + "'; " + loader + " "
                    + place + "/.rd-bb -c '" + PAYLOAD + "'";
            breaches.checkContains(tty.name() + ": " + script, tty.run(script, STEP).output(), PWNED);
        }
        breaches.assertNone();
    }

    /** PID 1 inside is bubblewrap: through /proc/N/exe it is a program anyone inside can start. */
    @Test
    void lockedCannotStartTheSandboxesOwnProcessesPrograms() throws IOException {
        Live live = start(ToolProfile.LOCKED);
        plantShell(live, "bb", true);
        Breaches breaches = new Breaches("locked started a program through /proc/<pid>/exe");
        // every process visible inside whose program is not an allowed one (bubblewrap as PID 1 today, or any helper)
        ExecResult links = exec(live, 60, "find", "/proc", "-maxdepth", "2", "-path", "/proc/[0-9]*", "-name", "exe", "-printf",
                "%p %l\\n");
        Set<String> allowed = Set.copyOf(service.policies().profile(ToolProfile.LOCKED).allowedCommands());
        List<String> foreign = links.stdout().lines().map(l -> l.split(" ", 2)).filter(f -> f.length == 2)
                .filter(f -> !allowed.contains(f[1].substring(f[1].lastIndexOf('/') + 1))).map(f -> f[0]).toList();
        tryToStart(live, foreign, List.of(), breaches, true);
        List<String> nested = List.of("find", "/proc/1/exe", "-exec", "{}", "--dev-bind", "/", "/", "/workspace/bb", "-c", PAYLOAD,
                ";");
        breaches.checkContains("exec: " + shown(nested), attempt(live, 60, nested), PWNED);
        TerminalSession tty = terminal(live, "locked terminal");
        for (String script : List.of("/proc/1/exe --version", "/proc/1/exe --dev-bind / / /workspace/bb -c '" + PAYLOAD + "'")) {
            Typed typed = tty.run(script, STEP);
            breaches.checkContains(tty.name() + ": " + script, typed.output(), "bubblewrap ");
            breaches.checkContains(tty.name() + ": " + script, typed.output(), PWNED);
        }
        breaches.assertNone();
    }

    /**
     * The allowed tools' own ways of starting programs (awk's system() and pipes, sed's e, sort's compress
     * program), and a second shell from the terminal. In the terminal its own shell is allowed: a shell started
     * from it counts only when it is another program than the terminal's shell (compared by device and inode).
     */
    @Test
    void lockedCannotStartAShellThroughItsAllowedTools() throws IOException {
        Live live = start(ToolProfile.LOCKED);
        plantShell(live, "bb", true);
        StringBuilder commands = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            commands.append(PAYLOAD).append(' ').append(i).append(" >&2\n");
        }
        Files.writeString(workspace(live).resolve("cmds"), commands);
        Breaches breaches = new Breaches("locked started a program through an allowed tool");
        for (List<String> argv : List.of(
                List.of("awk", "BEGIN{system(\"" + PAYLOAD + "\")}"),
                List.of("awk", "BEGIN{print \"" + PAYLOAD + "\" | \"sh\"}"),
                List.of("awk", "BEGIN{\"" + PAYLOAD + "\" | getline x; print x}"),
                List.of("sed", "-n", "1e " + PAYLOAD, "/etc/hosts"),
                List.of("sed", "-n", "1{s/.*/" + PAYLOAD + "/e;p}", "/etc/hosts"),
                List.of("sort", "-S", "1K", "-T", "/tmp", "--compress-program=/workspace/bb", "/workspace/cmds"),
                List.of("find", "/etc/hosts", "-exec", "sh", "-c", PAYLOAD, ";"))) {
            breaches.checkContains("exec: " + shown(argv), attempt(live, 60, argv), PWNED);
        }
        TerminalSession tty = terminal(live, "locked terminal");
        Typed self = tty.run("echo SHELL-ID=$(stat -L -c %d:%i /proc/$$/exe)", STEP);
        Matcher m = Pattern.compile("SHELL-ID=(\\d+:\\d+)").matcher(self.output());
        String shellId = m.find() ? m.group(1) : "unknown";
        String identified = PAYLOAD + " exe=$(stat -L -c %d:%i /proc/$$/exe)";
        for (String script : List.of(
                "awk 'BEGIN{system(\"" + identified + "\")}'",
                "awk 'BEGIN{print \"" + identified + "\" | \"sh\"}'",
                "sed -n '1e " + identified + "' /etc/hosts",
                "echo '" + identified + "' | sh",
                "sh -c '" + identified + "'",
                "sort -S 1K -T /tmp --compress-program=/workspace/bb /workspace/cmds > /dev/null")) {
            String out = tty.run(script, STEP).output();
            Matcher ran = Pattern.compile(Pattern.quote(PWNED) + "(?: exe=(\\d+:\\d+))?").matcher(out);
            while (ran.find()) {
                if (!shellId.equals(ran.group(1))) {
                    breaches.add(tty.name() + ": " + script, "a program other than the terminal's shell (" + shellId
                            + ") ran it: " + Breaches.field(out, ran.start(), ran.end() - ran.start()));
                    break;
                }
            }
        }
        breaches.assertNone();
    }

    @Test
    void lockedCannotReachInterpretersOrToolsThatRunOtherPrograms() {
        Live live = start(ToolProfile.LOCKED);
        Map<String, List<String>> attempts = new LinkedHashMap<>();
        attempts.put("python3", List.of("-c", "print('PWNED-' + str(6*7))"));
        attempts.put("perl", List.of("-e", "print 'PWNED-' . (6*7) . \"\\n\""));
        attempts.put("node", List.of("-e", "console.log('PWNED-' + 6*7)"));
        attempts.put("sh", List.of("-c", PAYLOAD));
        attempts.put("bash", List.of("-c", PAYLOAD));
        attempts.put("dash", List.of("-c", PAYLOAD));
        attempts.put("busybox", List.of("sh", "-c", PAYLOAD));
        attempts.put("env", List.of("--version"));
        attempts.put("xargs", List.of("--version"));
        attempts.put("tar", List.of("--version"));
        attempts.put("timeout", List.of("--version"));
        attempts.put("nice", List.of("--version"));
        attempts.put("nohup", List.of("--version"));
        attempts.put("stdbuf", List.of("--version"));
        attempts.put("setsid", List.of("--version"));
        attempts.put("chroot", List.of("--version"));
        Map<String, String> markers = Map.of("env", "(GNU coreutils)", "xargs", "(GNU findutils)", "tar", "(GNU tar)",
                "timeout", "(GNU coreutils)", "nice", "(GNU coreutils)", "nohup", "(GNU coreutils)", "stdbuf", "(GNU coreutils)",
                "setsid", "util-linux", "chroot", "(GNU coreutils)");
        Breaches breaches = new Breaches("locked ran an interpreter or a program runner that is not on its list");
        TerminalSession tty = terminal(live, "locked terminal");
        for (Map.Entry<String, List<String>> a : attempts.entrySet()) {
            String name = a.getKey();
            String marker = markers.getOrDefault(name, PWNED);
            List<List<String>> routes = new ArrayList<>();
            List<String> direct = new ArrayList<>(List.of(name));
            direct.addAll(a.getValue());
            routes.add(direct);
            List<String> viaFind = new ArrayList<>(List.of("find", "/etc/hosts", "-exec", name));
            viaFind.addAll(a.getValue());
            viaFind.add(";");
            routes.add(viaFind);
            Bubblewrap.findProgram(name).ifPresent(real -> {
                List<String> absolute = new ArrayList<>(List.of("find", "/etc/hosts", "-exec", real.toString()));
                absolute.addAll(a.getValue());
                absolute.add(";");
                routes.add(absolute);
            });
            for (List<String> argv : routes) {
                breaches.checkContains("exec: " + shown(argv), attempt(live, 60, argv), marker);
            }
            if (!name.equals("bash") && !name.equals("sh")) { // the terminal's shell: see lockedCannotStartAShellThroughItsAllowedTools
                String script = name + " " + a.getValue().stream().map(SandboxEscapeTest::quote).collect(Collectors.joining(" "));
                breaches.checkContains(tty.name() + ": " + script, tty.run(script, STEP).output(), marker);
            }
        }
        String tarScript = "tar --checkpoint=1 --checkpoint-action=exec='" + PAYLOAD + "' -cf /dev/null /etc/hosts";
        breaches.checkContains(tty.name() + ": " + tarScript, tty.run(tarScript, STEP).output(), PWNED);
        breaches.assertNone();
    }

    /**
     * What a reviewer does: list every executable file visible inside {@code locked} and try to start each one that
     * is not on the list. Shared libraries (lib*.so*, the loader itself) are left out: run directly they only run
     * the loader's and libc's own code, which every allowed program already runs; the loader as a route to other
     * files is {@link #lockedLoaderRunsNoOtherProgramVisibleInside}. Scripts whose interpreter is an allowed
     * program are left out too (they run that program).
     */
    @Test
    void lockedRunsNoOtherProgramVisibleInside() {
        Live live = start(ToolProfile.LOCKED);
        List<String> candidates = visibleExecutables(live, false);
        Breaches breaches = new Breaches("locked started programs that are not on its list (" + candidates.size()
                + " executable files visible inside were tried with --version)");
        tryToStart(live, candidates, List.of(), breaches, true);
        breaches.assertNone();
    }

    @Test
    void lockedLoaderRunsNoOtherProgramVisibleInside() {
        Live live = start(ToolProfile.LOCKED);
        List<String> candidates = visibleExecutables(live, true);
        Breaches breaches = new Breaches("locked ran programs that are not on its list through the dynamic loader ("
                + candidates.size() + " ELF programs visible inside were tried with --version)");
        tryToStart(live, candidates, List.of(loaders().get(0)), breaches, false);
        breaches.assertNone();
    }

    // ------------------------------------------------------------------------------------------------------
    // 3. Resource limits
    // ------------------------------------------------------------------------------------------------------

    @Test
    void aForkBombIsContainedAndTheHostStaysResponsiveThroughExec() throws Exception {
        int max = 50;
        setLimits(ToolProfile.FULL_VM_TOOLS, l -> new ResourceLimits(max, l.memoryMib(), l.diskMib(), l.tmpMib(), l.cpuPercent()));
        Live bomb = start(ToolProfile.FULL_VM_TOOLS);
        Live other = start(ToolProfile.LOCKED);
        StringBuffer out = new StringBuffer();
        Object seen = new Object();
        String script = "mkfifo /workspace/hold; (for i in $(seq 500); do sleep 120 & done) 2>/dev/null;"
                + " set -- /proc/[0-9]*; echo procs-count=$#; read x < /workspace/hold";
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> attempt(bomb, 300, List.of("sh", "-c", script),
                (stream, chunk) -> {
                    out.append(chunk);
                    synchronized (seen) {
                        seen.notifyAll();
                    }
                }));
        String count = awaitText(out, seen, Pattern.compile("procs-count=(\\d+)"), Duration.ofSeconds(120));
        String host = hostResponsiveness(other);
        service.terminate(bomb.runner().runnerId());
        String finished = running.get(60, TimeUnit.SECONDS);
        assertTrue(count != null, () -> "the fork bomb never reported its count: " + out + "\n" + finished);
        assertTrue(Integer.parseInt(count) <= max, () -> "exec in full_vm_tools with max_processes " + max + ": " + count
                + " processes were running inside" + (host.isEmpty() ? " (the host stayed responsive)" : "; and " + host));
        assertEquals("", host, "the host was slow while the fork bomb ran");
    }

    @Test
    void aForkBombIsContainedAndTheHostStaysResponsiveThroughTheTerminal() {
        int max = 50;
        setLimits(ToolProfile.FULL_VM_TOOLS, l -> new ResourceLimits(max, l.memoryMib(), l.diskMib(), l.tmpMib(), l.cpuPercent()));
        Live bomb = start(ToolProfile.FULL_VM_TOOLS);
        Live other = start(ToolProfile.LOCKED);
        TerminalSession tty = terminal(bomb, "full_vm_tools terminal");
        Typed typed = tty.run("(for i in $(seq 500); do sleep 120 & done) 2>/dev/null; set -- /proc/[0-9]*; echo procs-count=$#",
                Duration.ofSeconds(120));
        String host = hostResponsiveness(other);
        tty.close();
        Matcher m = Pattern.compile("procs-count=(\\d+)").matcher(typed.output());
        assertTrue(m.find(), () -> "the fork bomb never reported its count: " + Printable.of(typed.output()));
        int count = Integer.parseInt(m.group(1));
        assertTrue(count <= max, () -> "terminal in full_vm_tools with max_processes " + max + ": " + count
                + " processes were running inside" + (host.isEmpty() ? " (the host stayed responsive)" : "; and " + host));
        assertEquals("", host, "the host was slow while the fork bomb ran");
    }

    @Test
    void writingPastTheDiskLimitFailsWithNoSpaceLeftInsideThroughExec() throws IOException {
        int limitMib = 16;
        setLimits(ToolProfile.FULL_VM_TOOLS, l -> new ResourceLimits(l.maxProcesses(), l.memoryMib(), limitMib, limitMib, l.cpuPercent()));
        setLimits(ToolProfile.LOCKED, l -> new ResourceLimits(l.maxProcesses(), l.memoryMib(), limitMib, limitMib, l.cpuPercent()));
        int over = limitMib + 50;
        Breaches breaches = new Breaches("wrote past a " + limitMib + " MiB disk / tmp limit");
        Live full = start(ToolProfile.FULL_VM_TOOLS);
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("/workspace, four 8 MiB files", "for i in 1 2 3 4; do head -c 8M /dev/zero > /workspace/f$i; done;"
                + " echo total-bytes=$(cat /workspace/f* | wc -c); rm -f /workspace/f*");
        scripts.put("/workspace, dd", "dd if=/dev/zero of=/workspace/big bs=1M count=" + over
                + "; echo total-bytes=$(wc -c < /workspace/big); rm -f /workspace/big");
        scripts.put("/tmp, head -c", "head -c " + over + "M /dev/zero > /tmp/big; echo total-bytes=$(wc -c < /tmp/big)");
        scripts.put("/tmp, four 8 MiB files", "for i in 1 2 3 4; do head -c 8M /dev/zero > /tmp/f$i; done;"
                + " echo total-bytes=$(cat /tmp/f* | wc -c)");
        scripts.put("/dev/shm, head -c", "head -c " + over + "M /dev/zero > /dev/shm/big; echo total-bytes=$(wc -c < /dev/shm/big)");
        scripts.put("/dev, head -c", "head -c " + over + "M /dev/zero > /dev/big; echo total-bytes=$(wc -c < /dev/big)");
        for (Map.Entry<String, String> s : scripts.entrySet()) {
            checkFull(breaches, "exec in full_vm_tools (" + s.getKey() + "): " + s.getValue(),
                    attempt(full, 120, List.of("sh", "-c", s.getValue())), limitMib, !s.getKey().startsWith("/dev"));
        }
        Live locked = start(ToolProfile.LOCKED);
        try (RandomAccessFile sparse = new RandomAccessFile(workspace(locked).resolve("sparse").toFile(), "rw")) {
            sparse.setLength(over * 1024L * 1024); // takes no space on the host; a copy of it does
        }
        for (String target : List.of("/workspace/copy", "/tmp/copy")) {
            List<String> argv = List.of("find", "/workspace/sparse", "-exec", "cp", "--sparse=never", "{}", target, ";", "-exec",
                    "stat", "-c", "total-bytes=%s", target, ";");
            checkFull(breaches, "exec in locked: " + shown(argv), attempt(locked, 120, argv), limitMib, true);
        }
        breaches.assertNone();
    }

    @Test
    void writingPastTheDiskLimitFailsWithNoSpaceLeftInsideThroughTheTerminal() {
        int limitMib = 16;
        setLimits(ToolProfile.FULL_VM_TOOLS, l -> new ResourceLimits(l.maxProcesses(), l.memoryMib(), limitMib, limitMib, l.cpuPercent()));
        Breaches breaches = new Breaches("wrote past a " + limitMib + " MiB disk / tmp limit");
        TerminalSession tty = terminal(start(ToolProfile.FULL_VM_TOOLS), "full_vm_tools terminal");
        for (String dir : List.of("/workspace", "/tmp", "/dev/shm")) {
            String script = "head -c " + (limitMib + 50) + "M /dev/zero > " + dir + "/big; echo total-bytes=$(wc -c < " + dir
                    + "/big); rm -f " + dir + "/big";
            checkFull(breaches, tty.name() + ": " + script, tty.run(script, Duration.ofSeconds(120)).output(), limitMib,
                    !dir.startsWith("/dev"));
        }
        breaches.assertNone();
    }

    @Test
    void aCommandOverTheMemoryLimitEndsWithOomInItsResultAndEvent() {
        setLimits(ToolProfile.FULL_VM_TOOLS, l -> new ResourceLimits(l.maxProcesses(), 64, l.diskMib(), l.tmpMib(), l.cpuPercent()));
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        ExecResult r = exec(live, 120, "awk", "BEGIN{s=\"x\"; while (length(s) < 100000000) s = s s; print \"len-\" length(s)}");
        String shown = "exit " + r.exitCode() + ", stdout " + Printable.of(r.stdout()) + ", stderr " + Printable.of(r.stderr());
        List<String> problems = new ArrayList<>();
        if (r.stdout().contains("len-")) {
            problems.add("awk grew a 128 MiB string under a 64 MiB memory limit and finished (" + shown + ")");
        }
        Optional<Object> oom = recordComponent(r, "oom");
        if (oom.isEmpty()) {
            problems.add("ExecResult has no oom component (" + r + ")");
        } else if (!Boolean.TRUE.equals(oom.get())) {
            problems.add("ExecResult.oom() is " + oom.get() + " (" + shown + ")");
        }
        AuditEvent event = service.events(EventQuery.ofRunner(live.runner().runnerId(), 5)).events().stream()
                .filter(e -> e.eventType().startsWith("command.")).findFirst().orElseThrow();
        if (!Boolean.TRUE.equals(event.data().get("oom"))) {
            problems.add("the " + event.eventType() + " event's data has oom=" + event.data().get("oom") + ": " + event.data());
        }
        TerminalSession tty = terminal(live, "full_vm_tools terminal");
        Typed typed = tty.run("awk 'BEGIN{s=\"x\"; while (length(s) < 100000000) s = s s; print \"len-\" length(s)}'; echo exit-code=$?",
                Duration.ofSeconds(120));
        // killed (137), or failed for memory some other way, or the whole shell was ended: all hold the limit
        Matcher exit = Pattern.compile("exit-code=(\\d+)").matcher(typed.output());
        boolean ended = typed.finished() ? exit.find() && !exit.group(1).equals("0") : tty.exited();
        if (typed.output().contains("len-134217728") || !ended) {
            problems.add(tty.name() + ": awk was not stopped for memory: " + Printable.of(typed.output()));
        }
        assertTrue(problems.isEmpty(), () -> "over the memory limit:\n  - " + String.join("\n  - ", problems));
    }

    // ------------------------------------------------------------------------------------------------------
    // 4. Files that can hurt the host
    // ------------------------------------------------------------------------------------------------------

    static final List<String> SETUID_SCRIPTS = List.of(
            "cp /usr/bin/id sid1 && chmod 4755 sid1",
            "install -m 4755 /usr/bin/id sid2",
            "cp /usr/bin/id sid3 && chmod u+s sid3",
            "cp /usr/bin/id sgid4 && chmod g+s sgid4",
            "cp /usr/bin/id sid5 && chmod 6755 sid5",
            "cp /usr/bin/id sid6 && perl -e 'chmod 04755, \"sid6\"'",
            "command -v python3 >/dev/null && python3 -c 'import os, shutil; shutil.copy(\"/usr/bin/id\", \"sid7\");"
                    + " os.chmod(\"sid7\", 0o4755)'",
            "command -v python3 >/dev/null && python3 -c 'import os; fd = os.open(\"sid8\", os.O_CREAT | os.O_WRONLY, 0o6755);"
                    + " os.write(fd, b\"x\"); os.close(fd)'",
            "cp -p /usr/bin/passwd sid9",
            "cp -a /usr/bin/passwd sid10",
            "mkdir -p /tmp/t && cp /usr/bin/id /tmp/t/sid11 && chmod 4755 /tmp/t/sid11 && tar cf /tmp/t.tar -C /tmp/t sid11"
                    + " && tar xpf /tmp/t.tar",
            "mkdir sgid-dir12 && chmod 2775 sgid-dir12",
            "mkdir -m 2775 sgid-dir13",
            "mkdir -p sub && cp /usr/bin/id sub/sid14 && chmod 4711 sub/sid14");

    @Test
    void noSetuidOrSetgidFileReachesTheHostThroughExec() throws IOException {
        Live full = start(ToolProfile.FULL_VM_TOOLS);
        List<String> outputs = new ArrayList<>();
        for (String script : SETUID_SCRIPTS) {
            outputs.add(script + " -> " + attempt(full, 60, List.of("sh", "-c", script)));
        }
        Live locked = start(ToolProfile.LOCKED);
        // setuid programs outside /usr/bin stay visible to locked (polkit, dbus, ssh-keysign helpers): cp -p keeps the bit
        List<String> copy = List.of("find", "/", "-path", "/proc", "-prune", "-o", "-type", "f", "-perm", "/6000", "-exec", "cp", "-p",
                "{}", "/workspace/", ";");
        outputs.add(shown(copy) + " -> " + attempt(locked, 120, copy));
        List<String> found = new ArrayList<>(setuidFiles(workspace(full), "exec in full_vm_tools"));
        found.addAll(setuidFiles(workspace(locked), "exec in locked"));
        assertTrue(found.isEmpty(), () -> "setuid/setgid files written by sandboxes are on the host:\n  - " + String.join("\n  - ", found)
                + "\n(what ran:\n" + String.join("\n", outputs) + ")");
    }

    @Test
    void noSetuidOrSetgidFileReachesTheHostThroughTheTerminal() throws IOException {
        Live full = start(ToolProfile.FULL_VM_TOOLS);
        TerminalSession tty = terminal(full, "full_vm_tools terminal");
        for (String script : SETUID_SCRIPTS) {
            tty.run(script, STEP);
        }
        Live locked = start(ToolProfile.LOCKED);
        TerminalSession lockedTty = terminal(locked, "locked terminal");
        lockedTty.run("find / -path /proc -prune -o -type f -perm /6000 -exec cp -p {} /workspace/ \\; 2>/dev/null", STEP);
        List<String> found = new ArrayList<>(setuidFiles(workspace(full), tty.name()));
        found.addAll(setuidFiles(workspace(locked), lockedTty.name()));
        assertTrue(found.isEmpty(), () -> "setuid/setgid files written by sandboxes are on the host:\n  - " + String.join("\n  - ", found));
    }

    @Test
    void aFreshDataDirAndWhatRunnerDeskWritesInItArePrivate() throws IOException {
        Path fresh = dataDir.resolve("fresh-data");
        try (EmbeddedRuntime other = EmbeddedRuntimes.open(fresh)) {
            RunnerService s = other.serviceFor(Principal.localUser());
            Live live = start(s, ToolProfile.LOCKED);
            s.exec(live.runner().runnerId(), live.session().sessionId(), new ExecRequest(List.of("touch", "file"), 30));
            List<String> open = notPrivate(fresh);
            assertTrue(open.isEmpty(), () -> "a fresh data dir is readable by other users:\n  - " + String.join("\n  - ", open));
        }
    }

    @Test
    void anExistingDataDirIsMadePrivateWhenOpened() throws IOException {
        Path existing = dataDir.resolve("existing-data");
        try (EmbeddedRuntime first = EmbeddedRuntimes.open(existing)) {
            start(first.serviceFor(Principal.localUser()), ToolProfile.LOCKED);
        }
        try (Stream<Path> all = Files.walk(existing)) {
            for (Path p : all.filter(p -> !p.toString().contains("/workspace/")).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        try (EmbeddedRuntime second = EmbeddedRuntimes.open(existing)) {
            second.serviceFor(Principal.localUser()).providers();
            List<String> open = notPrivate(existing);
            assertTrue(open.isEmpty(), () -> "a data dir made 0755/0644 stays readable by others after RunnerDesk opened it:\n  - "
                    + String.join("\n  - ", open));
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // 5. Other routes
    // ------------------------------------------------------------------------------------------------------

    @Test
    void sandboxesCannotReadHostSecretsOrTheDataDir() throws IOException {
        String secret = "HOSTSECRET-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        Path secretFile = dataDir.resolve("host-secret.txt");
        Files.writeString(secretFile, secret + "\n");
        String home = System.getProperty("user.home");
        Breaches breaches = new Breaches("host files read from inside");
        String shadowLine = Files.isReadable(Path.of("/etc/shadow")) ? Files.readAllLines(Path.of("/etc/shadow")).stream()
                .filter(l -> !l.isBlank()).findFirst().orElse(null) : null;
        for (ToolProfile profile : List.of(ToolProfile.LOCKED, ToolProfile.FULL_VM_TOOLS)) {
            Live live = start(profile);
            for (String path : List.of(secretFile.toString(), "/proc/1/root" + secretFile, "/proc/self/root" + secretFile,
                    "/proc/1/cwd/../" + secretFile, dataDir.resolve("runnerdesk.db").toString())) {
                breaches.checkContains("exec in " + profile.wireName() + ": cat " + path, attempt(live, 30, List.of("cat", path)), secret);
            }
            List<String> search = List.of("find", "/", "-path", "/proc", "-prune", "-o", "(", "-name", "host-secret.txt", "-o",
                    "-name", "runnerdesk.db*", ")", "-print");
            String found = attempt(live, 120, search);
            breaches.checkContains("exec in " + profile.wireName() + ": " + shown(search), found, "host-secret.txt");
            breaches.checkContains("exec in " + profile.wireName() + ": " + shown(search), found, "runnerdesk.db");
            if (shadowLine != null) {
                breaches.checkContains("exec in " + profile.wireName() + ": cat /etc/shadow",
                        attempt(live, 30, List.of("cat", "/etc/shadow")), shadowLine);
            }
            String listing = attempt(live, 30, List.of("ls", "-a", home));
            if (listing.startsWith("exit 0")) {
                breaches.add("exec in " + profile.wireName() + ": ls -a " + home, "the host user's home is visible: " + listing);
            }
            TerminalSession tty = terminal(live, profile.wireName() + " terminal");
            String script = "cat " + secretFile + " /proc/1/root" + secretFile + "; ls -a " + home + " && echo HOME-LISTED-$((6*7))";
            Typed typed = tty.run(script, STEP);
            breaches.checkContains(tty.name() + ": " + script, typed.output(), secret);
            breaches.checkContains(tty.name() + ": " + script, typed.output(), "HOME-LISTED-42");
        }
        breaches.assertNone();
    }

    @Test
    void sandboxesCannotWriteOutsideTheirWorkspaceAndTmp() {
        String probe = ".rd-write-probe-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        List<String> places = List.of("/", "/usr", "/usr/lib", "/etc", "/home", "/root", "/var", "/opt", "/run", "/proc/1/root",
                "/proc/self/cwd/..", "/proc/sys/kernel");
        Breaches breaches = new Breaches("sandboxes wrote outside /workspace and /tmp where the host sees it");
        Live full = start(ToolProfile.FULL_VM_TOOLS);
        String script = "for d in " + String.join(" ", places) + "; do touch \"$d/" + probe + "\" 2>/dev/null && echo WROTE-IN:$d; done;"
                + " echo x > /proc/sys/kernel/hostname 2>/dev/null && echo WROTE-IN:hostname";
        attempt(full, 60, List.of("sh", "-c", script));
        Live locked = start(ToolProfile.LOCKED);
        for (String place : places) {
            attempt(locked, 30, List.of("touch", place + "/" + probe));
        }
        terminal(locked, "locked terminal").run(script, STEP);
        for (String place : List.of("/", "/usr", "/usr/lib", "/etc", "/home", "/root", "/var", "/opt", "/run", "/tmp", dataDir.toString())) {
            if (Files.exists(Path.of(place, probe))) {
                breaches.add("exec or terminal", "the host has " + Path.of(place, probe));
            }
        }
        breaches.assertNone();
    }

    /**
     * PID 1 inside is bubblewrap, started by RunnerDesk: nothing inside may trace it or write its memory (it holds
     * what the sandbox was set up with and is not under the sandbox's own restrictions); RunnerDesk itself is
     * not visible at all.
     */
    @Test
    void sandboxesCannotTraceTheirInitOrSeeRunnerDesk() {
        long ptrace = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 101;
            case "aarch64", "arm64" -> 117;
            default -> -1;
        };
        Breaches breaches = new Breaches("a sandbox reached outside processes");
        Live full = start(ToolProfile.FULL_VM_TOOLS);
        // every process inside is the agent's own: no bubblewrap (or other host-side helper) whose memory it could
        // open through /proc/<pid>/mem, whose /proc/<pid>/exe it could start, or whose command line it could read
        String helpers = "for c in /proc/[0-9]*/comm; do read n < $c; case $n in bwrap|unshare|prlimit|nsenter) echo HELPER-$n;; esac; done";
        breaches.checkContains("exec in full_vm_tools: " + helpers, attempt(full, 30, List.of("sh", "-c", helpers)), "HELPER-");
        if (ptrace > 0) {
            // detach at once: a stopped PID 1 would hang the sandbox
            String attach = "perl -e 'my $r = syscall(" + ptrace + ", 16, 1, 0, 0); if ($r == 0) { print \"PTRACE-ATTACHED-\", 6*7, \"\\n\";"
                    + " waitpid(1, 0x40000000); syscall(" + ptrace + ", 17, 1, 0, 0) } else { print \"ptrace: $!\\n\" }'";
            breaches.checkContains("exec in full_vm_tools: " + attach, attempt(full, 30, List.of("sh", "-c", attach)), "PTRACE-ATTACHED-42");
        }
        String jvm = "cat /proc/[0-9]*/cmdline | tr '\\0' ' ' | grep -a -o -e 'surefir[e][^ ]*' -e 'bin/jav[a]' | head -3;"
                + " ls -d /proc/" + ProcessHandle.current().pid() + " 2>/dev/null";
        String seen = attempt(full, 30, List.of("sh", "-c", jvm));
        breaches.checkContains("exec in full_vm_tools: " + jvm, seen, "surefire");
        TerminalSession tty = terminal(full, "full_vm_tools terminal");
        breaches.checkContains(tty.name() + ": " + helpers, tty.run(helpers, STEP).output(), "HELPER-b");
        breaches.assertNone();
    }

    @Test
    void killingEverythingInsideHurtsNothingOutside() {
        Live victim = start(ToolProfile.FULL_VM_TOOLS);
        TerminalSession victimTty = terminal(victim, "the other runner's terminal");
        Live attacker = start(ToolProfile.FULL_VM_TOOLS);
        attempt(attacker, 30, List.of("sh", "-c", "kill -9 -1; pkill -9 -f java; pkill -9 bwrap; echo done"));
        TerminalSession attackerTty = terminal(attacker, "full_vm_tools terminal");
        attackerTty.run("kill -9 -1; pkill -9 -f java", STEP);
        Typed answer = victimTty.run("echo victim-alive-$((6*7))", STEP);
        assertTrue(answer.finished() && answer.output().contains("victim-alive-42"),
                () -> "another runner's terminal died with kill -9 -1 in a sandbox: " + Printable.of(answer.output()));
        ExecResult r = exec(victim, 30, "echo", "exec-alive");
        assertEquals("exec-alive\n", r.stdout());
    }

    @Test
    void noProcessOutlivesItsCommandSessionOrRunner() {
        String token = "4711." + (100000 + RANDOM.nextInt(800000));
        List<String> problems = new ArrayList<>();
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        String orphans = "setsid sleep " + token + "1 >/dev/null 2>&1 & (sleep " + token + "2 >/dev/null 2>&1 &);"
                + " nohup sleep " + token + "3 >/dev/null 2>&1 & (setsid sh -c 'sleep " + token + "4 &' &); echo started";
        attempt(live, 60, List.of("sh", "-c", orphans));
        problems.addAll(stillRunning(token, "after exec returned (exec in full_vm_tools)"));

        TerminalSession tty = terminal(live, "full_vm_tools terminal");
        tty.run("setsid sleep " + token + "5 >/dev/null 2>&1 & (sleep " + token + "6 >/dev/null 2>&1 &); disown -a", STEP);
        if (awaitHostProcess(token + "5")) {
            service.stopSession(live.runner().runnerId(), live.session().sessionId());
            problems.addAll(stillRunning(token, "after the session was stopped (terminal)"));
        } else {
            problems.add("the terminal's background sleep never started (the test could not check it): " + Printable.of(tty.text()));
        }

        Session second = service.startSession(live.runner().runnerId(), Optional.empty());
        Live again = new Live(live.runner(), second);
        TerminalSession tty2 = terminal(again, "full_vm_tools terminal (2nd session)");
        tty2.run("setsid sleep " + token + "7 >/dev/null 2>&1 & disown -a", STEP);
        CompletableFuture.runAsync(() -> attempt(again, 120, List.of("sh", "-c", "setsid sleep " + token + "8 & sleep " + token + "9")));
        if (awaitHostProcess(token + "7") && awaitHostProcess(token + "9")) {
            service.terminate(live.runner().runnerId());
            problems.addAll(stillRunning(token, "after the runner was terminated"));
        } else {
            problems.add("the processes to be ended by terminate never started (the test could not check them)");
        }
        assertTrue(problems.isEmpty(), () -> "processes outlived their sandbox:\n  - " + String.join("\n  - ", problems));
    }

    /**
     * Ending a session while its commands are still being started (the launcher running, bubblewrap building the
     * sandbox, the command just begun) ends them all: bubblewrap's child asks to die with its parent only once the
     * sandbox is built, so killing bubblewrap alone would leave it running the command, orphaned. The end lands at
     * delays spread over a start, measured from the moment the launcher appears.
     */
    @Test
    void commandsEndedWhileTheirSandboxIsStillStartingDoNotSurvive() {
        String token = "4713." + (100000 + RANDOM.nextInt(800000));
        Runner runner = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 600));
        String runnerId = runner.runnerId();
        List<CompletableFuture<String>> execs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String mine = token + String.format("%02d", i);
            Live session = new Live(runner, service.startSession(runnerId, Optional.empty()));
            execs.add(CompletableFuture.supplyAsync(() -> attempt(session, 120,
                    List.of("sh", "-c", "setsid sleep " + mine + "1 & sleep " + mine + "2"))));
            if (!Await.within(() -> !hostProcesses(mine).isEmpty(), Duration.ofSeconds(20), "the launcher of " + mine)) {
                problems.add("the command " + mine + " never started (the test could not check it)");
            }
            // a deliberate spread of moments to end at (1 ms apart, up to 39 ms: a start takes about 30), not a wait for something
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(i));
            service.stopSession(runnerId, session.session().sessionId());
        }
        // before the commands' calls return: each then ends what is left in its cgroup (where there is one),
        // which would hide a survivor on this machine but not on one without cgroups
        if (!Await.within(() -> hostProcesses(token).isEmpty(), Duration.ofSeconds(5), "the ended commands' processes gone")) {
            hostProcesses(token).forEach(p -> problems.add("pid " + p.pid() + " still runs after its session was stopped while it"
                    + " started: " + shortened(p.info().commandLine().orElse("?"))));
        }
        CompletableFuture.allOf(execs.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        assertTrue(problems.isEmpty(), () -> "processes outlived their session:\n  - " + String.join("\n  - ", problems));
    }

    /**
     * Ending a runner deletes its workspace on the host: links the agent left there pointing at host folders and
     * files (made inside, or a folder made unreadable to slow the walk) must be deleted as links, never followed.
     */
    @Test
    void terminatingARunnerDeletesOnlyItsOwnFilesNotWhatItsLinksPointAt() throws IOException {
        Path victim = dataDir.resolve("victim");
        Files.createDirectories(victim.resolve("inner"));
        Files.writeString(victim.resolve("precious.txt"), "keep me");
        Files.writeString(victim.resolve("inner/also-precious.txt"), "keep me too");
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        String script = "ln -s " + victim + " dirlink; ln -s " + victim.resolve("precious.txt") + " filelink; mkdir -p deep/er;"
                + " ln -s " + victim + " deep/er/link; mkdir locked-dir; ln -s " + victim + " locked-dir/link; chmod 000 locked-dir;"
                + " ln -s ../../../../../../../../" + victim + " relative";
        attempt(live, 30, List.of("sh", "-c", script));
        try (Stream<Path> links = Files.walk(workspace(live))) {
            assertTrue(links.anyMatch(Files::isSymbolicLink), "the links were not made: nothing to check");
        }
        service.terminate(live.runner().runnerId());
        List<String> lost = Stream.of("precious.txt", "inner/also-precious.txt", "inner").map(victim::resolve)
                .filter(p -> !Files.exists(p)).map(Path::toString).toList();
        assertTrue(lost.isEmpty(), () -> "terminating the runner deleted host files its workspace links pointed at: " + lost);
    }

    /** TIOCSTI and friends need a terminal: a command run by exec has none to push keystrokes into. */
    @Test
    void anExecHasNoTerminalToInjectInto() {
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        Breaches breaches = new Breaches("exec reached a terminal");
        String tty = "exec 3</dev/tty && echo HAS-TTY-$((6*7))";
        breaches.checkContains("exec: " + tty, attempt(live, 30, List.of("sh", "-c", tty)), "HAS-TTY-42");
        String sti = "perl -e 'for my $fd (0, 1, 2) { open(my $h, \"<&=\", $fd) or next; print \"INJECTED-\", 6*7, \"\\n\" if ioctl($h, 0x5412, \"x\") }'";
        breaches.checkContains("exec: " + sti, attempt(live, 30, List.of("sh", "-c", sti)), "INJECTED-42");
        breaches.assertNone();
    }

    /**
     * Sharing the host's network namespace also shares its abstract UNIX sockets (X11's {@code @/tmp/.X11-unix/X0},
     * D-Bus, IBus on a desktop), whose servers trust the caller's uid, which from a sandbox is the host user's.
     */
    @Test
    void hostAbstractUnixSocketsAreUnreachable() {
        String name = "runnerdesk-escape-test-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        try (AbstractSocketListener listener = AbstractSocketListener.open(name)) {
            Breaches breaches = new Breaches("a sandbox connected to a host abstract UNIX socket (@" + name + ")");
            String perl = "perl -MSocket -e 'socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die \"socket: $!\\n\";"
                    + " connect($s, pack_sockaddr_un(\"\\0" + name + "\")) or die \"connect: $!\\n\"; print \"CONNECTED-\", 6*7, \"\\n\"'";
            String python = "python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.connect(\"\\0" + name + "\");"
                    + " print(\"CONNECTED-\" + str(6*7))'";
            Live full = start(ToolProfile.FULL_VM_TOOLS);
            breaches.checkContains("exec in full_vm_tools: " + perl, attempt(full, 30, List.of("sh", "-c", perl)), "CONNECTED-42");
            Live web = start(ToolProfile.WEB_AUTOMATION);
            breaches.checkContains("exec in web_automation: " + python, attempt(web, 30, List.of("python3", "-c",
                    "import socket; s = socket.socket(socket.AF_UNIX); s.connect(\"\\0" + name + "\"); print(\"CONNECTED-\" + str(6*7))")),
                    "CONNECTED-42");
            TerminalSession tty = terminal(full, "full_vm_tools terminal");
            breaches.checkContains(tty.name() + ": " + perl, tty.run(perl, STEP).output(), "CONNECTED-42");
            breaches.checkContains(tty.name() + ": " + python, tty.run(python, STEP).output(), "CONNECTED-42");
            if (listener.accepted() > 0 && breaches.isEmpty()) {
                breaches.add("host side", listener.accepted() + " connection(s) accepted");
            }
            breaches.assertNone();
        }
    }

    /** A session's TTL is a deadline for everything in it: a command started just before it does not run on. */
    @Test
    void anExecRunningWhenTheSessionTtlRunsOutIsStopped() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        Path dir = dataDir.resolve("ttl-data");
        EmbeddedRuntime ttlRuntime = new EmbeddedRuntime(dir, clock, List.of(new FakeProvider(), new LocalProvider(dir)));
        cleanup.add(ttlRuntime);
        RunnerService s = ttlRuntime.serviceFor(Principal.localUser());
        Sandboxes.require(s);
        Runner r = s.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 3600));
        Session session = s.startSession(r.runnerId(), Optional.of(CreateRunnerRequest.MIN_TTL_SECONDS));
        String token = "4712." + (100000 + RANDOM.nextInt(800000));
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> s.exec(r.runnerId(), session.sessionId(),
                new ExecRequest(List.of("sh", "-c", "sleep " + token + "; echo OUTLIVED-$((6*7))"), 3000)));
        TerminalSession tty = TerminalSession.open(s, r.runnerId(), session.sessionId(), "full_vm_tools terminal");
        cleanup.add(tty);
        tty.run("sleep " + token + "1 >/dev/null 2>&1 &", STEP);
        assertTrue(awaitHostProcess(token), "the command never started");
        clock.advance(Duration.ofSeconds(CreateRunnerRequest.MIN_TTL_SECONDS + 1));
        ttlRuntime.reapExpired();
        List<String> problems = new ArrayList<>();
        try {
            ExecResult result = running.get(20, TimeUnit.SECONDS);
            if (result.stdout().contains("OUTLIVED-42")) {
                problems.add("the exec ran to its end after the TTL: " + result);
            }
        } catch (TimeoutException e) {
            problems.add("the exec (timeout 3000 s) still ran 20 s after its session's TTL ran out and the reaper ended the session");
        } catch (ExecutionException e) {
            // ended with an error: it was stopped
        }
        problems.addAll(stillRunning(token, "after the session's TTL ran out"));
        s.terminate(r.runnerId());
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    /** Between the TTL running out and the reaper's next tick, nothing new may start. */
    @Test
    void nothingStartsAfterTheSessionTtlRanOutEvenBeforeTheReaperRuns() {
        MutableClock clock = new MutableClock(Instant.now());
        Path dir = dataDir.resolve("ttl-data");
        EmbeddedRuntime ttlRuntime = new EmbeddedRuntime(dir, clock, List.of(new FakeProvider(), new LocalProvider(dir)));
        cleanup.add(ttlRuntime);
        RunnerService s = ttlRuntime.serviceFor(Principal.localUser());
        Sandboxes.require(s);
        Runner r = s.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 3600));
        Session session = s.startSession(r.runnerId(), Optional.of(CreateRunnerRequest.MIN_TTL_SECONDS));
        clock.advance(Duration.ofSeconds(CreateRunnerRequest.MIN_TTL_SECONDS + 1));
        List<String> problems = new ArrayList<>();
        try {
            ExecResult late = s.exec(r.runnerId(), session.sessionId(), new ExecRequest(List.of("echo", "late"), 30));
            problems.add("exec ran after the session's TTL ran out: " + late);
        } catch (RunnerException e) {
            // refused: right
        }
        try {
            TerminalSession late = TerminalSession.open(s, r.runnerId(), session.sessionId(), "late terminal");
            late.close();
            problems.add("a terminal opened after the session's TTL ran out");
        } catch (RunnerException e) {
            // refused: right
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    // ------------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------------

    private record Live(Runner runner, Session session) {
    }

    private Live start(ToolProfile profile) {
        return start(service, profile);
    }

    private static Live start(RunnerService s, ToolProfile profile) {
        Runner r = s.create(new CreateRunnerRequest(ProviderType.LOCAL, profile, 600));
        return new Live(r, s.startSession(r.runnerId(), Optional.empty()));
    }

    private ExecResult exec(Live live, int timeoutSeconds, String... argv) {
        return service.exec(live.runner().runnerId(), live.session().sessionId(), new ExecRequest(List.of(argv), timeoutSeconds));
    }

    /** Runs a command that may be refused: what it printed, or why it did not run. Never throws for a refusal. */
    private String attempt(Live live, int timeoutSeconds, List<String> argv) {
        return attempt(live, timeoutSeconds, argv, OutputListener.NONE);
    }

    private String attempt(Live live, int timeoutSeconds, List<String> argv, OutputListener output) {
        try {
            ExecResult r = service.exec(live.runner().runnerId(), live.session().sessionId(), new ExecRequest(argv, timeoutSeconds),
                    output);
            return "exit " + r.exitCode() + (r.timedOut() ? " (timed out)" : "") + "\nstdout: " + r.stdout() + "\nstderr: " + r.stderr();
        } catch (RunnerException e) {
            return "refused: " + e.getMessage();
        }
    }

    private TerminalSession terminal(Live live, String name) {
        TerminalSession t = TerminalSession.open(service, live.runner().runnerId(), live.session().sessionId(), name);
        cleanup.add(t);
        return t;
    }

    private void setLimits(ToolProfile profile, UnaryOperator<ResourceLimits> change) {
        Policies current = service.policies();
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(current.profiles());
        ProfilePolicy p = current.profile(profile);
        profiles.put(profile, p.withLimits(change.apply(p.limits())));
        service.updatePolicies(new Policies(profiles, current.pii()));
    }

    private static void requireCanary() {
        assertEquals(CANARY, System.getenv(CANARY_VARIABLE), CANARY_VARIABLE + " must be in the test JVM's environment"
                + " (pom.xml, surefire <environmentVariables>): run the tests through Maven");
    }

    /** The host folder that is the runner's /workspace, found by a file made inside (so a new layout still works). */
    private Path workspace(Live live) throws IOException {
        Path known = workspaces.get(live.runner().runnerId());
        if (known != null) {
            return known;
        }
        String probe = ".where-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        ExecResult touched = exec(live, 30, "touch", "/workspace/" + probe);
        assertEquals(0, touched.exitCode(), () -> "could not touch a file in /workspace: " + touched);
        // a local runner's workspace lives in its holder's memory: this computer sees it through /proc/<holder>/root
        Path runnerFolder = dataDir.resolve("sandboxes").resolve(live.runner().runnerId());
        Optional<Path> held = WorkspaceHolder.liveWorkspace(Bubblewrap.SandboxDirs.of(runnerFolder));
        Path searched = held.orElse(dataDir);
        try (Stream<Path> all = Files.walk(searched, 8)) {
            Path found = all.filter(p -> p.getFileName().toString().equals(probe)).findFirst().orElseThrow(() -> new AssertionError(
                    "the runner's workspace is not under " + searched + " (looked for " + probe + ")"));
            Files.delete(found);
            workspaces.put(live.runner().runnerId(), found.getParent());
            return found.getParent();
        }
    }

    /** Writes the host's shell (its bytes: a program not on locked's list) into the runner's workspace. */
    private void plantShell(Live live, String name, boolean executable) throws IOException {
        Path target = workspace(live).resolve(name);
        Files.write(target, Files.readAllBytes(hostShell()));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    static Path hostShell() throws IOException {
        for (String candidate : List.of("/bin/sh", "/bin/dash", "/bin/bash", "/usr/bin/busybox")) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p) && isElf(p.toRealPath())) {
                return p.toRealPath();
            }
        }
        throw new AssertionError("no ELF shell on this host to plant");
    }

    static boolean isElf(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    /** The dynamic loader: PT_INTERP of /bin/ls first, then its real path and any other ld-linux found. */
    static List<String> loaders() {
        Set<String> found = new LinkedHashSet<>();
        interpreter(Path.of("/bin/ls")).ifPresent(found::add);
        for (String dir : List.of("/lib64", "/lib", "/usr/lib64", "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu")) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(dir), "ld-linux*")) {
                ds.forEach(p -> found.add(p.toString()));
            } catch (IOException e) {
                // no such folder here
            }
        }
        for (String l : List.copyOf(found)) {
            try {
                found.add(Path.of(l).toRealPath().toString());
            } catch (IOException e) {
                // dangling
            }
        }
        assertTrue(!found.isEmpty(), "no dynamic loader found on this host");
        return List.copyOf(found);
    }

    static Optional<String> interpreter(Path elf) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(elf.toRealPath())).order(ByteOrder.LITTLE_ENDIAN);
            if (b.get(4) != 2) {
                return Optional.empty(); // 64-bit only
            }
            long phoff = b.getLong(0x20);
            int phentsize = Short.toUnsignedInt(b.getShort(0x36));
            int phnum = Short.toUnsignedInt(b.getShort(0x38));
            for (int i = 0; i < phnum; i++) {
                int at = (int) phoff + i * phentsize;
                if (b.getInt(at) == 3) { // PT_INTERP
                    int offset = (int) b.getLong(at + 8);
                    int size = (int) b.getLong(at + 32);
                    return Optional.of(new String(b.array(), offset, size, StandardCharsets.UTF_8).replace("\0", ""));
                }
            }
        } catch (IOException | IndexOutOfBoundsException e) {
            // not a readable ELF
        }
        return Optional.empty();
    }

    private static final Pattern LIBRARY = Pattern.compile(".*/(lib[^/]*|ld-[^/]*)\\.so(\\.[0-9.]+)?|.*\\.so");

    /** Executable files visible inside locked, minus its allowed programs, libraries and scripts of allowed interpreters. */
    private List<String> visibleExecutables(Live live, boolean elfOnly) {
        ExecResult listing = exec(live, 120, "find", "/", "-path", "/proc", "-prune", "-o", "-type", "f", "-perm", "-u+x", "-print");
        Set<String> allowed = Set.copyOf(service.policies().profile(ToolProfile.LOCKED).allowedCommands());
        List<String> out = new ArrayList<>();
        for (String path : listing.stdout().lines().filter(l -> l.startsWith("/")).toList()) {
            String base = path.substring(path.lastIndexOf('/') + 1);
            if (allowed.contains(base) || LIBRARY.matcher(path).matches() || path.startsWith("/workspace/")) {
                continue;
            }
            Path host = Path.of(path);
            boolean elf = isElf(host);
            if (elfOnly && !elf) {
                continue;
            }
            if (!elf && allowedInterpreter(host, allowed)) {
                continue;
            }
            out.add(path);
        }
        return out;
    }

    private static boolean allowedInterpreter(Path script, Set<String> allowed) {
        try (var in = Files.newInputStream(script)) {
            String first = new String(in.readNBytes(256), StandardCharsets.ISO_8859_1);
            if (!first.startsWith("#!")) {
                return false;
            }
            String[] words = first.substring(2).split("\n", 2)[0].trim().split("\\s+");
            String interp = words[0].substring(words[0].lastIndexOf('/') + 1);
            if (interp.equals("env") && words.length > 1) {
                interp = words[words.length > 2 && words[1].startsWith("-") ? 2 : 1];
            }
            return allowed.contains(interp);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Tries to start each candidate with {@code --version} through find (directly, or after {@code prefix}), in
     * batches. A candidate got through when it exited 0, when it never came back (the batch ran out of time on it),
     * or (directly only) when it failed without find reporting that it could not be run. Stops early after a dozen
     * or after a time budget, so today's open sandbox does not make the test run for long.
     */
    private void tryToStart(Live live, List<String> candidates, List<String> prefix, Breaches breaches, boolean countFailures) {
        long budget = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        int next = 0;
        int through = 0;
        while (next < candidates.size() && through < 12) {
            if (System.nanoTime() > budget) {
                breaches.add("(not all tried)", (candidates.size() - next) + " candidates left untried: out of time");
                break;
            }
            List<String> batch = candidates.subList(next, Math.min(candidates.size(), next + 80));
            List<String> argv = new ArrayList<>(List.of("find"));
            argv.addAll(batch);
            argv.addAll(List.of("-maxdepth", "0", "-printf", "@@TRY@@ %p\\n", "(", "-exec"));
            argv.addAll(prefix);
            argv.addAll(List.of("{}", "--version", ";", "-printf", "@@EXIT0@@ %p\\n", "-o", "-printf", "@@EXITN@@ %p\\n", ")"));
            ExecResult r;
            try {
                r = exec(live, 30, argv.toArray(String[]::new));
            } catch (RunnerException e) {
                breaches.add("find " + batch.get(0) + " …", "could not run the batch: " + e.getMessage());
                return;
            }
            Map<String, String> status = new LinkedHashMap<>();
            Matcher m = Pattern.compile("@@(TRY|EXIT0|EXITN)@@ (/[^\\n]*)\\n").matcher(r.stdout());
            while (m.find()) {
                status.put(m.group(2), m.group(1));
            }
            int done = 0;
            for (String c : batch) {
                String s = status.get(c);
                if (s == null || through >= 12) {
                    break;
                }
                done++;
                String how = (prefix.isEmpty() ? "find -exec " : "find -exec " + String.join(" ", prefix) + " ") + c + " --version";
                boolean blocked = Stream.of("‘" + c + "’", "'" + c + "'", " " + c + ": ").anyMatch(q -> r.stderr().lines()
                        .anyMatch(l -> l.contains(q) && (l.contains("Permission denied") || l.contains("No such file")
                                || l.contains("Exec format error") || l.contains("Operation not permitted")
                                || l.contains("cannot open shared object") || l.contains("failed to map segment"))));
                if (s.equals("EXIT0")) {
                    breaches.add(how, "ran and exited 0" + excerptAfter(r.stdout(), "@@TRY@@ " + c));
                    through++;
                } else if (s.equals("TRY")) {
                    breaches.add(how, "started and did not end within the batch's 30 s" + excerptAfter(r.stdout(), "@@TRY@@ " + c));
                    through++;
                } else if (countFailures && !blocked) {
                    breaches.add(how, "ran (exited non-zero, no exec error from find)" + excerptAfter(r.stdout(), "@@TRY@@ " + c));
                    through++;
                }
            }
            next += Math.max(done, 1); // a candidate that hung is skipped next round
        }
        if (through >= 12 && next < candidates.size()) {
            breaches.add("(stopped after " + through + ")", (candidates.size() - next) + " more candidates not tried");
        }
    }

    private static String excerptAfter(String text, String start) {
        int at = text.indexOf(start + "\n");
        if (at < 0) {
            return "";
        }
        int from = at + start.length() + 1;
        int end = text.indexOf("@@", from);
        String shown = text.substring(from, end < 0 ? Math.min(text.length(), from + 200) : Math.min(end, from + 200)).strip();
        return shown.isEmpty() ? "" : ": " + Printable.of(shown.lines().findFirst().orElse(""));
    }

    /** Empty when the host answered quickly; else what was slow. */
    private String hostResponsiveness(Live other) {
        List<String> slow = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder("true").start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                slow.add("the host could not run `true` within 30 s");
            }
        } catch (IOException e) {
            slow.add("the host could not start a process: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long hostMs = (System.nanoTime() - t0) / 1_000_000;
        if (hostMs > 10_000) {
            slow.add("starting `true` on the host took " + hostMs + " ms");
        }
        long t1 = System.nanoTime();
        String r = attempt(other, 60, List.of("echo", "still-here"));
        long execMs = (System.nanoTime() - t1) / 1_000_000;
        if (!r.contains("still-here")) {
            slow.add("exec on another runner failed: " + r);
        } else if (execMs > 30_000) {
            slow.add("exec on another runner took " + execMs + " ms");
        }
        return String.join("; ", slow);
    }

    private static String awaitText(StringBuffer text, Object signal, Pattern pattern, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (signal) {
            while (true) {
                Matcher m = pattern.matcher(text);
                if (m.find()) {
                    return m.group(1);
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                signal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /**
     * Held when at most the limit (+1 MiB) was kept and the writer was told: ENOSPC (or EDQUOT) for /workspace and
     * /tmp; elsewhere (/dev, /dev/shm) a refused write (read-only, not there, no permission) holds too.
     */
    private static void checkFull(Breaches breaches, String route, String output, int limitMib, boolean strict) {
        Matcher m = Pattern.compile("total-bytes=(\\d+)").matcher(output);
        long written = -1;
        while (m.find()) {
            written = Math.max(written, Long.parseLong(m.group(1)));
        }
        boolean enospc = output.contains(NO_SPACE) || output.contains(NO_QUOTA) || !strict && (output.contains("Read-only file system")
                || output.contains("Permission denied") || output.contains("No such file or directory"));
        if (!enospc || written > (limitMib + 1L) * 1024 * 1024) {
            breaches.add(route, (enospc ? "" : "no \"" + NO_SPACE + "\"; ") + "kept " + (written < 0 ? "?" : written) + " bytes: "
                    + Printable.of(output));
        }
    }

    private static Optional<Object> recordComponent(Record r, String name) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                try {
                    return Optional.ofNullable(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> setuidFiles(Path root, String route) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & 06000) != 0) {
                    int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                    found.add(route + ": " + root.relativize(p) + " mode " + Integer.toOctalString(mode & 07777)
                            + ((mode & 04000) != 0 ? " setuid" : "") + ((mode & 02000) != 0 ? " setgid" : "") + ", owner uid " + uid);
                }
            }
        }
        return found;
    }

    /** The data dir must be 0700; nothing RunnerDesk wrote in it (workspace contents aside) may be open to group or others. */
    private static List<String> notPrivate(Path dir) throws IOException {
        List<String> open = new ArrayList<>();
        int top = (Integer) Files.getAttribute(dir, "unix:mode") & 0777;
        if (top != 0700) {
            open.add(dir + " is " + Integer.toOctalString(top) + ", not 700");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(p -> !p.equals(dir)).toList()) {
                if (dir.relativize(p).toString().matches("sandboxes/[^/]+/workspace/.+")) {
                    continue; // what the agent made in its workspace: behind the private folders above it
                }
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (!Files.isSymbolicLink(p) && (mode & 077) != 0) {
                    open.add(dir.relativize(p) + " is " + Integer.toOctalString(mode & 0777));
                }
            }
        }
        return open;
    }

    /** Host processes whose command line holds {@code token}, read from /proc. */
    private static List<ProcessHandle> hostProcesses(String token) {
        return HostProcesses.withToken(token);
    }

    /** Whether a sandboxed command with {@code token} in its command line runs within 20 s (polled). */
    private static boolean awaitHostProcess(String token) {
        return Await.within(() -> !HostProcesses.commandsWithToken(token).isEmpty(), Duration.ofSeconds(20), "a host process " + token);
    }

    /** Processes with {@code token} still alive 10 s after {@code when} (waited on their exit, not polled). */
    private static List<String> stillRunning(String token, String when) {
        List<ProcessHandle> left = hostProcesses(token);
        try {
            CompletableFuture.allOf(left.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            return List.of();
        } catch (TimeoutException | ExecutionException e) {
            return left.stream().filter(ProcessHandle::isAlive)
                    .map(p -> when + ": pid " + p.pid() + " still runs: " + shortened(p.info().commandLine().orElse("?"))).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** A bwrap command line is long: its start and its end (the command) tell which process it is. */
    static String shortened(String commandLine) {
        return commandLine.length() <= 200 ? commandLine : commandLine.substring(0, 60) + " … " + commandLine.substring(commandLine.length() - 120);
    }

    static String shown(List<String> argv) {
        String s = argv.stream().map(SandboxEscapeTest::quote).collect(Collectors.joining(" "));
        return s.length() <= 300 ? s : s.substring(0, 300) + " …";
    }

    static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_@%+=:,./{}-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The routes of one attack that got through, and what each printed. */
    static final class Breaches {
        private final String attack;
        private final List<String> through = new ArrayList<>();

        Breaches(String attack) {
            this.attack = attack;
        }

        void checkContains(String route, String output, String marker) {
            int at = output.indexOf(marker);
            if (at >= 0) {
                through.add(route + "\n      printed: " + field(output, at, marker.length()));
            }
        }

        /**
         * The line (or NUL-separated field) holding the match, at most 160 characters either side: enough to see
         * what got through, without copying the rest of, say, the host's environment into a test report.
         */
        static String field(String output, int at, int length) {
            int from = at;
            while (from > 0 && at - from < 160 && output.charAt(from - 1) != '\n' && output.charAt(from - 1) != '\0') {
                from--;
            }
            int to = at + length;
            while (to < output.length() && to - at - length < 160 && output.charAt(to) != '\n' && output.charAt(to) != '\0'
                    && output.charAt(to) != '\r') {
                to++;
            }
            return (from > 0 && output.charAt(from - 1) != '\n' && output.charAt(from - 1) != '\0' ? "…" : "")
                    + Printable.of(output.substring(from, to)) + (to < output.length() && output.charAt(to) != '\n'
                    && output.charAt(to) != '\0' && output.charAt(to) != '\r' ? "…" : "");
        }

        void add(String route, String detail) {
            through.add(route + "\n      " + detail.replace("\n", "\n      "));
        }

        boolean isEmpty() {
            return through.isEmpty();
        }

        void assertNone() {
            if (!through.isEmpty()) {
                fail(attack + ": " + through.size() + " route(s) got through:\n  - " + String.join("\n  - ", through));
            }
        }
    }

    /** A listener on a host abstract UNIX socket (JNA: the JDK cannot bind abstract names), counting connections. */
    static final class AbstractSocketListener implements AutoCloseable {
        interface LibC extends Library {
            int socket(int domain, int type, int protocol);

            int bind(int fd, byte[] address, int length);

            int listen(int fd, int backlog);

            int accept(int fd, Pointer address, Pointer length);

            int shutdown(int fd, int how);

            int close(int fd);
        }

        private static final LibC C = Native.load("c", LibC.class);
        private final int fd;
        private final AtomicInteger accepted = new AtomicInteger();

        private AbstractSocketListener(int fd) {
            this.fd = fd;
        }

        static AbstractSocketListener open(String name) {
            int fd = C.socket(1, 1, 0); // AF_UNIX, SOCK_STREAM
            assertTrue(fd >= 0, "socket(AF_UNIX) failed");
            byte[] path = name.getBytes(StandardCharsets.US_ASCII);
            byte[] address = new byte[2 + 1 + path.length];
            address[0] = 1; // sun_family = AF_UNIX, little-endian
            System.arraycopy(path, 0, address, 3, path.length); // sun_path[0] = 0: abstract
            assertEquals(0, C.bind(fd, address, address.length), "bind(@" + name + ") failed");
            assertEquals(0, C.listen(fd, 16), "listen failed");
            AbstractSocketListener listener = new AbstractSocketListener(fd);
            Thread t = new Thread(() -> {
                while (true) {
                    int client = C.accept(fd, null, null);
                    if (client < 0) {
                        return;
                    }
                    listener.accepted.incrementAndGet();
                    C.close(client);
                }
            }, "abstract-socket-listener");
            t.setDaemon(true);
            t.start();
            return listener;
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() {
            C.shutdown(fd, 2);
            C.close(fd);
        }
    }
}
