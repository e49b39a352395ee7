package dev.runnerdesk.provider.local;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
            process.destroyForcibly(); // started while its session was being ended
        }
    }

    /** An interactive shell started in sandbox {@code ref} (it ends with the session through the runtime). */
    void startedShell(String ref, Process process) {
        track(ref, process);
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
            left.forEach(Process::destroyForcibly); // bwrap's death takes its whole PID namespace with it
        }
    }

    /** Ends every process of the sandbox; one that starts from now on is ended at once. */
    void endSandbox(String ref) {
        destroyed.add(ref); // first: a command that starts now is ended by track()
        Set<Process> processes = running.remove(ref);
        if (processes != null) {
            processes.forEach(Process::destroyForcibly);
        }
    }

    /** Ends every process of every sandbox (the provider closes). */
    void endAll() {
        running.values().forEach(set -> set.forEach(Process::destroyForcibly));
        running.clear();
    }

    private void track(String ref, Process process) {
        running.computeIfAbsent(ref, k -> ConcurrentHashMap.newKeySet()).add(process);
        if (destroyed.contains(ref)) {
            process.destroyForcibly(); // started while its runner was being ended: endSandbox() may not have seen it
        }
    }

    private Set<Process> commandsOf(String sessionId) {
        return sessionId == null ? ConcurrentHashMap.newKeySet() : commands.computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet());
    }
}
