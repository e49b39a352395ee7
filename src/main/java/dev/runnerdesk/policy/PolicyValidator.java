package dev.runnerdesk.policy;

import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException.InvalidRequest;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks an edited policy before it is stored; every message names the profile and the field. */
public final class PolicyValidator {
    private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9._+-]{1,128}");

    private PolicyValidator() {
    }

    public static void validate(Policies policies) {
        policies.profiles().values().forEach(PolicyValidator::validate);
    }

    public static void validate(ProfilePolicy p) {
        String at = p.profile().wireName() + ".";
        for (String command : p.allowedCommands()) {
            if (!command.equals(ProfilePolicy.ANY_COMMAND) && !COMMAND_NAME.matcher(command).matches()) {
                throw new InvalidRequest(at + "allowed_commands",
                        at + "allowed_commands: \"" + command + "\" is not a program name (letters, digits, . _ + -)");
            }
        }
        for (String entry : p.egressAllowlist()) {
            try {
                EgressRule.parse(entry);
            } catch (InvalidRequest e) {
                throw new InvalidRequest(at + "egress_allowlist", at + e.getMessage());
            }
        }
        ProfilePolicy.MAX_TTL.check(at, p.maxTtlSeconds());
        ProfilePolicy.MAX_EXEC_TIMEOUT.check(at, p.maxExecTimeoutSeconds());
        ProfilePolicy.OUTPUT_CAP.check(at, p.outputCapBytes());
        p.limits().validate(at + "limits.");
        ProfilePolicy.RECORDING_CAP.check(at, p.recordingCapMib());
        p.files().validate(at + "files.");
        if (!ProfilePolicy.RECORDING_READER_LEVELS.contains(p.recordingReaders())) {
            throw new InvalidRequest(at + "recording_readers", at + "recording_readers must be one of "
                    + ProfilePolicy.RECORDING_READER_LEVELS.stream().map(Role::wireName).collect(Collectors.joining(", "))
                    + ", got " + p.recordingReaders().wireName() + ": auditors read every recording whatever it says,"
                    + " so admin already lets only admins and auditors read");
        }
    }
}
