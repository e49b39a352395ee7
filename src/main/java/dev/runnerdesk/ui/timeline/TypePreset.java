package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.EventTypes;

import java.util.Set;

/** Named sets of event types for the type filter. */
public enum TypePreset {
    DENIALS("Denials only", "denials", Set.of(EventTypes.COMMAND_DENIED, EventTypes.AUTH_DENIED, EventTypes.EGRESS_BLOCKED)),
    COMMANDS("Commands", "commands", Set.of(EventTypes.COMMAND_EXECUTED, EventTypes.COMMAND_DENIED, EventTypes.COMMAND_TIMED_OUT)),
    LIFECYCLE("Lifecycle", "lifecycle", Set.of(EventTypes.RUNNER_CREATED, EventTypes.RUNNER_READY, EventTypes.RUNNER_FAILED,
            EventTypes.SESSION_STARTED, EventTypes.SESSION_STOPPED, EventTypes.RUNNER_TERMINATED, EventTypes.RUNNER_EXPIRED)),
    PII("PII", "pii", Set.of(EventTypes.PII_DETECTED)),
    FILES("Files", "files", Set.of(EventTypes.FILE_READ, EventTypes.FILE_WRITTEN, EventTypes.FILE_MOVED, EventTypes.FILE_DELETED));

    final String label;
    final String idSuffix;
    final Set<String> types;

    TypePreset(String label, String idSuffix, Set<String> types) {
        this.label = label;
        this.idSuffix = idSuffix;
        this.types = types;
    }

    public Set<String> types() {
        return types;
    }
}
