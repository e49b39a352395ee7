package dev.runnerdesk.policy;

import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.ToolProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policies a new data directory starts with; an admin edits them from there. File access: the locked profile is
 * for work whose data should stay put, so its viewers list the workspace but do not download from it (operators and
 * admins do); the others let viewers download. Each upload limit stays within the profile's disk limit.
 */
public final class DefaultPolicies {
    public static final int DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;

    /**
     * Inspection, text and file tools: nothing that opens a shell, a network connection or an interpreter,
     * nor runs other programs for you ({@code env}, {@code xargs}).
     */
    static final List<String> LOCKED_COMMANDS = List.of(
            "echo", "printf", "true", "false", "pwd", "ls", "cat", "head", "tail", "wc", "grep", "sort",
            "uniq", "cut", "tr", "sed", "awk", "date", "sleep", "test", "stat", "find", "mkdir", "touch",
            "cp", "mv", "rm", "diff", "basename", "dirname", "seq", "tee", "sha256sum", "id",
            "uname", "whoami");

    static final List<String> WEB_AUTOMATION_EXTRA = List.of(
            "env", "xargs", "sh", "bash", "curl", "wget", "python3", "node", "npm", "npx", "chromium", "git", "jq", "tar", "gzip");

    private DefaultPolicies() {
    }

    public static Policies create() {
        List<String> web = new ArrayList<>(LOCKED_COMMANDS);
        web.addAll(WEB_AUTOMATION_EXTRA);
        int maxTtl = (int) ProfilePolicy.MAX_TTL.max();
        return new Policies(Map.of(
                ToolProfile.LOCKED, new ProfilePolicy(ToolProfile.LOCKED, LOCKED_COMMANDS, NetworkMode.NONE,
                        List.of(), maxTtl, 300, DEFAULT_OUTPUT_CAP_BYTES, false)
                        .withLimits(new ResourceLimits(64, 512, 1024, 256, 100))
                        .withFiles(new FileAccess(false, 512)),
                ToolProfile.WEB_AUTOMATION, new ProfilePolicy(ToolProfile.WEB_AUTOMATION, web,
                        NetworkMode.ALLOWLIST, List.of(), maxTtl, 900, DEFAULT_OUTPUT_CAP_BYTES, false)
                        .withLimits(new ResourceLimits(512, 2048, 4096, 1024, 200))
                        .withFiles(new FileAccess(true, 1024)),
                ToolProfile.FULL_VM_TOOLS, new ProfilePolicy(ToolProfile.FULL_VM_TOOLS,
                        List.of(ProfilePolicy.ANY_COMMAND), NetworkMode.FULL, List.of(), maxTtl, 3600,
                        DEFAULT_OUTPUT_CAP_BYTES, false)
                        .withLimits(new ResourceLimits(1024, 4096, 8192, 2048, 200))
                        .withFiles(new FileAccess(true, 4096))));
    }
}
