package dev.runnerdesk.embedded;

import dev.runnerdesk.core.Terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The interactive shells open now, per session, each with its recording: ending a session ends its shells. */
final class OpenShells {
    /** A shell of a session, with its recording. */
    private record Shell(Terminal terminal, AsciicastRecorder recording) {
    }

    private final Map<String, List<Shell>> bySession = new ConcurrentHashMap<>();
    /** Sessions that had a shell opened by this runtime (so not only before a restart). */
    private final Set<String> openedHere = ConcurrentHashMap.newKeySet();
    /** Sessions whose shells were ended: a shell that finishes opening after that is ended at once. */
    private final Set<String> ended = ConcurrentHashMap.newKeySet();

    /** Whether this runtime opened a shell for the session (now or earlier in this run). */
    boolean openedHere(String sessionId) {
        return openedHere.contains(sessionId);
    }

    /**
     * Keeps the shell until its session ends; false (the shell and its recording closed) if the session ended while
     * the shell was being opened. The end is marked before its shells are taken and a shell is added before the mark
     * is read, so one of the two always closes it.
     */
    boolean add(String sessionId, Terminal terminal, AsciicastRecorder recording) {
        openedHere.add(sessionId);
        Shell shell = new Shell(terminal, recording);
        List<Shell> shells = bySession.computeIfAbsent(sessionId, k -> new CopyOnWriteArrayList<>());
        shells.add(shell);
        if (ended.contains(sessionId)) {
            if (shells.remove(shell)) { // else end() took it and closes it
                terminal.close();
                recording.close();
            }
            bySession.remove(sessionId, List.of());
            return false;
        }
        return true;
    }

    /** Ends the session's shells (and every process they started); returns their recorders, closed. */
    List<AsciicastRecorder> end(String sessionId) {
        ended.add(sessionId); // first: a shell that finishes opening now is closed by add()
        List<Shell> open = bySession.remove(sessionId);
        if (open == null) {
            return List.of();
        }
        List<AsciicastRecorder> recordings = new ArrayList<>();
        for (Shell shell : open) {
            shell.terminal().close();
            shell.recording().close();
            recordings.add(shell.recording());
        }
        return recordings;
    }

    /** Ends every shell (the runtime closes). */
    void endAll() {
        bySession.keySet().forEach(this::end);
    }
}
