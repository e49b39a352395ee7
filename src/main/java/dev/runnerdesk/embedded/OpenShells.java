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

    /** Whether this runtime opened a shell for the session (now or earlier in this run). */
    boolean openedHere(String sessionId) {
        return openedHere.contains(sessionId);
    }

    void add(String sessionId, Terminal terminal, AsciicastRecorder recording) {
        openedHere.add(sessionId);
        bySession.computeIfAbsent(sessionId, k -> new CopyOnWriteArrayList<>()).add(new Shell(terminal, recording));
    }

    /** Ends the session's shells (and every process they started); returns their recorders, closed. */
    List<AsciicastRecorder> end(String sessionId) {
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
