package dev.runnerdesk.provider.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A cgroup v2 subtree delegated to RunnerDesk by the user's systemd, for a desktop where RunnerDesk's own cgroup
 * is not delegated (an app's scope): {@code systemd-run --user --scope -p Delegate=yes} starts a keeper process in
 * a scope of its own that the user may divide; the keeper moves to a leaf (cgroup v2 lets only leaves hold
 * processes once controllers are handed down), and the scope then holds each sandbox's group. The keeper dies
 * with RunnerDesk (PR_SET_PDEATHSIG), and systemd removes the scope once it is empty.
 */
record SystemdScope(Path dir, Process keeper) {
    private static final System.Logger LOG = System.getLogger(SystemdScope.class.getName());
    private static final long WAIT_MILLIS = 5_000;

    /** Gives the scope back: its keeper ends, and systemd removes it once its sandboxes have ended too. */
    void close() {
        keeper.destroyForcibly();
    }

    /** The delegated scope (its keeper already in a leaf), or empty with the reason in {@code notes}. */
    static Optional<SystemdScope> obtain(CgroupFiles.Mount cgroup2, String appName, List<String> notes) {
        Optional<Path> systemdRun = Bubblewrap.findProgram("systemd-run");
        Optional<Path> setpriv = Bubblewrap.findProgram("setpriv");
        Optional<Path> sleep = Bubblewrap.findProgram("sleep");
        if (systemdRun.isEmpty() || setpriv.isEmpty() || sleep.isEmpty()) {
            notes.add("no systemd-run, setpriv or sleep for a delegated systemd scope");
            return Optional.empty();
        }
        String unit = appName + "-sandboxes-" + ProcessHandle.current().pid();
        List<String> command = new ArrayList<>(List.of(systemdRun.get().toString(), "--user", "--scope", "--quiet",
                "--unit=" + unit, "--property=Delegate=yes", "--", setpriv.get().toString(), "--pdeathsig", "KILL", "--",
                sleep.get().toString(), "infinity"));
        Process keeper;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            // the user's bus and runtime folder are how systemd-run finds the user's systemd; nothing else passes
            builder.environment().keySet().retainAll(List.of("XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "PATH"));
            keeper = Spawner.spawn(builder::start);
        } catch (IOException | RuntimeException e) {
            notes.add("systemd-run could not start: " + e.getMessage());
            return Optional.empty();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline && keeper.isAlive()) {
            // systemd-run becomes the keeper once the scope exists: its cgroup then ends in the unit's name
            Optional<String> own = CgroupFiles.readSmall(Path.of("/proc", Long.toString(keeper.pid()), "cgroup"))
                    .flatMap(text -> CgroupFiles.ownCgroupPath(text, ""));
            if (own.isPresent() && own.get().endsWith("/" + unit + ".scope")) {
                Path scope = cgroup2.dirOf(own.get());
                try {
                    Path leaf = scope.resolve("keeper");
                    Files.createDirectories(leaf);
                    Files.write(leaf.resolve("cgroup.procs"), Long.toString(keeper.pid()).getBytes(StandardCharsets.US_ASCII),
                            StandardOpenOption.WRITE);
                    LOG.log(System.Logger.Level.INFO, "sandboxes get the delegated systemd scope {0}", scope);
                    return Optional.of(new SystemdScope(scope, keeper));
                } catch (IOException e) {
                    keeper.destroyForcibly();
                    notes.add("the systemd scope " + unit + " could not be divided: " + e.getMessage());
                    return Optional.empty();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        keeper.destroyForcibly();
        notes.add("no delegated systemd user scope (systemd-run --user " + (keeper.isAlive() ? "did not answer in time"
                : "failed: no user systemd or session bus") + ")");
        return Optional.empty();
    }
}
