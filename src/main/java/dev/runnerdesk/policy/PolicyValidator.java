package dev.runnerdesk.policy;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException.InvalidRequest;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks an edited policy before it is stored; every message names the profile and the field. */
public final class PolicyValidator {
    private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9._+-]{1,128}");
    static final int MAX_OUTPUT_CAP_BYTES = 64 * 1024 * 1024;
    static final int MAX_EXEC_TIMEOUT_SECONDS = 86_400;

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
        range(at + "max_ttl_seconds", p.maxTtlSeconds(), CreateRunnerRequest.MIN_TTL_SECONDS,
                CreateRunnerRequest.MAX_TTL_SECONDS);
        range(at + "max_exec_timeout_seconds", p.maxExecTimeoutSeconds(), 1, MAX_EXEC_TIMEOUT_SECONDS);
        range(at + "output_cap_bytes", p.outputCapBytes(), 1024, MAX_OUTPUT_CAP_BYTES);
        p.limits().validate(at + "limits.");
        ProfilePolicy.RECORDING_CAP.check(at, p.recordingCapMib());
        if (!ProfilePolicy.RECORDING_READER_LEVELS.contains(p.recordingReaders())) {
            throw new InvalidRequest(at + "recording_readers", at + "recording_readers must be one of "
                    + ProfilePolicy.RECORDING_READER_LEVELS.stream().map(Role::wireName).collect(Collectors.joining(", "))
                    + ", got " + p.recordingReaders().wireName() + ": auditors read every recording whatever it says,"
                    + " so admin already lets only admins and auditors read");
        }
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidRequest(field, field + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
