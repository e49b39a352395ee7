package dev.runnerdesk.core;

import java.util.List;
import java.util.Objects;

/**
 * What a tool profile allows. {@code allowedCommands} are program names matched against argv[0]
 * (its last path element); {@link #ANY_COMMAND} alone allows every command.
 */
public record ProfilePolicy(ToolProfile profile, List<String> allowedCommands, NetworkMode networkMode,
                            List<String> egressAllowlist, int maxTtlSeconds, int maxExecTimeoutSeconds,
                            int outputCapBytes, boolean recordInput) {
    public static final String ANY_COMMAND = "*";

    public ProfilePolicy {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(networkMode, "networkMode");
        allowedCommands = List.copyOf(allowedCommands);
        egressAllowlist = List.copyOf(egressAllowlist);
    }

    public boolean allowsEveryCommand() {
        return allowedCommands.contains(ANY_COMMAND);
    }

    /** Whether argv[0] (by its program name) is allowed. */
    public boolean allowsCommand(String program) {
        if (allowsEveryCommand()) {
            return true;
        }
        String name = program.substring(program.lastIndexOf('/') + 1);
        return allowedCommands.contains(name);
    }
}
