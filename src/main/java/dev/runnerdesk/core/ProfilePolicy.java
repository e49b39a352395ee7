package dev.runnerdesk.core;

import java.util.List;
import java.util.Objects;

/**
 * What a tool profile allows. {@code allowedCommands} are program names matched against argv[0]
 * (its last path element); {@link #ANY_COMMAND} alone allows every command. {@code limits} bound what one
 * runner's sandbox may use; terminal recordings stop growing at {@code recordingCapMib} and are read only by
 * {@code recordingReaders} and the roles above it on {@link #RECORDING_READER_LEVELS}, and by every role that may
 * {@link Role.Permission#AUDIT audit}. {@code files} says who may download workspace files and how large an upload may be.
 */
public record ProfilePolicy(ToolProfile profile, List<String> allowedCommands, NetworkMode networkMode,
                            List<String> egressAllowlist, int maxTtlSeconds, int maxExecTimeoutSeconds,
                            int outputCapBytes, boolean recordInput, ResourceLimits limits, int recordingCapMib,
                            Role recordingReaders, FileAccess files) {
    public static final String ANY_COMMAND = "*";
    public static final LimitRange MAX_TTL = CreateRunnerRequest.TTL.named("max_ttl_seconds");
    public static final LimitRange MAX_EXEC_TIMEOUT = new LimitRange("max_exec_timeout_seconds", 1, 86_400, "seconds");
    public static final LimitRange OUTPUT_CAP = new LimitRange("output_cap_bytes", 1024, 64 * 1024 * 1024, "bytes");
    public static final LimitRange RECORDING_CAP = new LimitRange("recording_cap_mib", 1, 256, "MiB");
    public static final int DEFAULT_RECORDING_CAP_MIB = 16;
    /** Terminal recordings may hold what was typed and shown: by default not for viewers. */
    public static final Role DEFAULT_RECORDING_READERS = Role.OPERATOR;
    /**
     * What {@code recordingReaders} may be, lowest first. Not auditor: auditors read every recording whatever it
     * says, so "only auditors (and admins)" is already {@code admin}.
     */
    public static final List<Role> RECORDING_READER_LEVELS = List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN);

    public ProfilePolicy {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(networkMode, "networkMode");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(recordingReaders, "recordingReaders");
        Objects.requireNonNull(files, "files");
        allowedCommands = List.copyOf(allowedCommands);
        egressAllowlist = List.copyOf(egressAllowlist);
    }

    /** A policy with the default file access. */
    public ProfilePolicy(ToolProfile profile, List<String> allowedCommands, NetworkMode networkMode,
                         List<String> egressAllowlist, int maxTtlSeconds, int maxExecTimeoutSeconds,
                         int outputCapBytes, boolean recordInput, ResourceLimits limits, int recordingCapMib,
                         Role recordingReaders) {
        this(profile, allowedCommands, networkMode, egressAllowlist, maxTtlSeconds, maxExecTimeoutSeconds, outputCapBytes,
                recordInput, limits, recordingCapMib, recordingReaders, FileAccess.DEFAULT);
    }

    /** A policy with the default limits and recording settings. */
    public ProfilePolicy(ToolProfile profile, List<String> allowedCommands, NetworkMode networkMode,
                         List<String> egressAllowlist, int maxTtlSeconds, int maxExecTimeoutSeconds,
                         int outputCapBytes, boolean recordInput) {
        this(profile, allowedCommands, networkMode, egressAllowlist, maxTtlSeconds, maxExecTimeoutSeconds, outputCapBytes,
                recordInput, ResourceLimits.DEFAULT, DEFAULT_RECORDING_CAP_MIB, DEFAULT_RECORDING_READERS);
    }

    public ProfilePolicy withLimits(ResourceLimits newLimits) {
        return new ProfilePolicy(profile, allowedCommands, networkMode, egressAllowlist, maxTtlSeconds, maxExecTimeoutSeconds,
                outputCapBytes, recordInput, newLimits, recordingCapMib, recordingReaders, files);
    }

    public ProfilePolicy withRecording(int capMib, Role readers) {
        return new ProfilePolicy(profile, allowedCommands, networkMode, egressAllowlist, maxTtlSeconds, maxExecTimeoutSeconds,
                outputCapBytes, recordInput, limits, capMib, readers, files);
    }

    public ProfilePolicy withFiles(FileAccess newFiles) {
        return new ProfilePolicy(profile, allowedCommands, networkMode, egressAllowlist, maxTtlSeconds, maxExecTimeoutSeconds,
                outputCapBytes, recordInput, limits, recordingCapMib, recordingReaders, newFiles);
    }

    public long recordingCapBytes() {
        return recordingCapMib * 1024L * 1024;
    }

    /** Whether {@code role} may read this profile's terminal recordings. */
    public boolean mayReadRecordings(Role role) {
        if (role.may(Role.Permission.AUDIT)) {
            return true;
        }
        // a level off the list (the validator refuses one) lets no one else read: -1 never reaches it
        int needed = RECORDING_READER_LEVELS.indexOf(recordingReaders);
        return needed >= 0 && RECORDING_READER_LEVELS.indexOf(role) >= needed;
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
