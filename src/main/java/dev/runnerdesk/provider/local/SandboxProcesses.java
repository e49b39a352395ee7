package dev.runnerdesk.provider.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Which processes (commands and shells) run in which sandbox, and which commands in which session, so ending a
 * sandbox or a session ends them. A process that starts while its sandbox or session is being ended is ended at
 * once: the end is marked first, and a start checks it after registering.
 */
final class SandboxProcesses {
    /** The processes running in each sandbox. */
    private final Map<String, Set<Process>> running = new ConcurrentHashMap<>();
    /** Sandboxes ended in this run: a process of theirs that starts after all is ended at once. */
    private final Set<String> destroyed = ConcurrentHashMap.newKeySet();
    private final Set<String> endedSessions = ConcurrentHashMap.newKeySet();
    /** The commands running in each session, so a session that ends (stopped, or its TTL ran out) ends them. */
    private final Map<String, Set<Process>> commands = new ConcurrentHashMap<>();

    /** A command started in {@code sessionId} (null: none) of sandbox {@code ref}. */
    void startedCommand(String ref, String sessionId, Process process) {
        track(ref, process);
        commandsOf(sessionId).add(process);
        if (sessionId != null && endedSessions.contains(sessionId)) {
            kill(process); // started while its session was being ended
        }
    }

    /** An interactive shell started in sandbox {@code ref} (it ends with the session through the runtime). */
    void startedShell(String ref, Process process) {
        track(ref, process);
    }

    /** The pids of the processes RunnerDesk started in sandbox {@code ref} that still run (bubblewrap, each). */
    List<Long> pids(String ref) {
        Set<Process> set = running.get(ref);
        return set == null ? List.of() : set.stream().filter(Process::isAlive).map(Process::pid).toList();
    }

    /** The process ended (or was ended): neither its sandbox nor its session needs to end it any more. */
    void ended(String ref, String sessionId, Process process) {
        Set<Process> set = running.get(ref);
        if (set != null) {
            set.remove(process);
        }
        if (sessionId != null) {
            commands.computeIfPresent(sessionId, (k, left) -> {
                left.remove(process);
                return left.isEmpty() ? null : left;
            });
        }
    }

    /** Ends the session's commands; one that starts from now on is ended at once. */
    void endSession(String sessionId) {
        endedSessions.add(sessionId); // first: a command that starts now is ended by startedCommand()
        Set<Process> left = commands.remove(sessionId);
        if (left != null) {
            left.forEach(SandboxProcesses::kill);
        }
    }

    /** Ends every process of the sandbox; one that starts from now on is ended at once. */
    void endSandbox(String ref) {
        destroyed.add(ref); // first: a command that starts now is ended by track()
        Set<Process> processes = running.remove(ref);
        if (processes != null) {
            processes.forEach(SandboxProcesses::kill);
        }
    }

    /** Ends every process of every sandbox (the provider closes). */
    void endAll() {
        running.values().forEach(set -> set.forEach(SandboxProcesses::kill));
        running.clear();
    }

    /**
     * Ends a process Java started for a sandbox (the launcher that becomes bubblewrap) and everything in the
     * sandbox, at any point of its start. Killing bubblewrap alone is not enough while it still builds the sandbox:
     * its child, the sandbox's PID 1, asks to be killed with its parent ({@code --die-with-parent}) only just
     * before it runs the command, and a child whose parent died before that goes on, orphaned, and runs it anyway.
     * So the process is stopped first, and once it has stopped (so a fork it was in has finished) its children are
     * killed (the sandbox's PID 1, whose death ends every process in its PID namespace, or a helper of the
     * launcher), then the process itself.
     */
    static void kill(Process process) {
        Optional<ProcessHandle> handle = ProcessHandle.of(process.pid()); // checks the start time: not a reused pid
        if (handle.isPresent() && handle.get().isAlive()) {
            LibC.get().kill((int) process.pid(), LibC.SIGSTOP);
            awaitStopped(process.pid());
            handle.get().children().forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
    }

    /** Waits (2 s at most) until the process has stopped or ended, as its /proc stat says. */
    private static void awaitStopped(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            String line;
            try {
                line = Files.readString(stat);
            } catch (IOException e) {
                return; // gone
            }
            int end = line.lastIndexOf(')'); // the name before it may hold anything, even ") T"
            char state = end > 0 && end + 2 < line.length() ? line.charAt(end + 2) : 'X';
            if (state == 'T' || state == 't' || state == 'Z' || state == 'X') {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    private void track(String ref, Process process) {
        running.computeIfAbsent(ref, k -> ConcurrentHashMap.newKeySet()).add(process);
        if (destroyed.contains(ref)) {
            kill(process); // started while its runner was being ended: endSandbox() may not have seen it
        }
    }

    private Set<Process> commandsOf(String sessionId) {
        return sessionId == null ? ConcurrentHashMap.newKeySet() : commands.computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet());
    }
}
