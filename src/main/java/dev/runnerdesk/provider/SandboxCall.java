package dev.runnerdesk.provider;

import java.util.Objects;

/** Which sandbox a call runs in, and for which runner, session and command (what the audit trail names). */
public record SandboxCall(String runnerId, String sessionId, String commandId, String sandboxRef) {
    public SandboxCall {
        Objects.requireNonNull(runnerId, "runnerId");
        Objects.requireNonNull(sandboxRef, "sandboxRef");
    }
}
