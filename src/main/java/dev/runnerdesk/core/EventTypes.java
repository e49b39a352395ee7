package dev.runnerdesk.core;

import java.util.List;

/** The {@code event_type} strings of the audit trail, used everywhere (store, API, UI). */
public final class EventTypes {
    public static final String RUNNER_CREATED = "runner.created";
    public static final String RUNNER_READY = "runner.ready";
    public static final String RUNNER_FAILED = "runner.failed";
    public static final String SESSION_STARTED = "session.started";
    public static final String COMMAND_EXECUTED = "command.executed";
    public static final String COMMAND_DENIED = "command.denied";
    public static final String COMMAND_TIMED_OUT = "command.timed_out";
    public static final String SESSION_STOPPED = "session.stopped";
    public static final String RUNNER_TERMINATED = "runner.terminated";
    public static final String RUNNER_EXPIRED = "runner.expired";
    public static final String POLICY_UPDATED = "policy.updated";
    public static final String AUTH_DENIED = "auth.denied";
    /** A sandbox tried to reach a host its egress allowlist does not allow (data: host, port). */
    public static final String EGRESS_BLOCKED = "egress.blocked";
    /**
     * The PII scanner found something in a command's output or a terminal recording (data: command_id or recording,
     * detector counts, action; never the value).
     */
    public static final String PII_DETECTED = "pii.detected";
    /**
     * A terminal recording reached its profile's cap and stopped; the session went on (data: recording, index,
     * cap_mib). The {@code session.stopped} event lists it under {@code truncated_recordings} too.
     */
    public static final String RECORDING_TRUNCATED = "recording.truncated";

    /**
     * A computer-use runner acted on its screen (data: command_id, step, action and its coordinates or
     * text, screenshot = the name of the PNG taken after it, for {@link RunnerService#screenshot}).
     */
    public static final String COMPUTER_ACTION = "computer.action";

    /** A workspace file was downloaded (data: path, offset, size, sha256 of the bytes sent). */
    public static final String FILE_READ = "file.read";
    /** A workspace file was uploaded, created or replaced (data: path, size, sha256, replaced). */
    public static final String FILE_WRITTEN = "file.written";
    /** A workspace entry was moved or renamed (data: from, to, kind). */
    public static final String FILE_MOVED = "file.moved";
    /** A workspace entry was deleted (data: path, kind, recursive, and size and sha256 for a file). */
    public static final String FILE_DELETED = "file.deleted";

    /**
     * This database's audit chain began (data: chain_id, legacy_form_until_seq, and previous_chain_id when the data
     * directory's earlier chain was set aside because its database was replaced).
     */
    public static final String AUDIT_CHAIN_STARTED = "audit.chain_started";
    /** The checkpoint signing key was replaced because the old one was gone (data: old_key_id, key_id, reason). */
    public static final String AUDIT_KEY_REPLACED = "audit.key_replaced";

    public static final List<String> ALL = List.of(RUNNER_CREATED, RUNNER_READY, RUNNER_FAILED, SESSION_STARTED,
            COMMAND_EXECUTED, COMMAND_DENIED, COMMAND_TIMED_OUT, SESSION_STOPPED, RUNNER_TERMINATED,
            RUNNER_EXPIRED, POLICY_UPDATED, AUTH_DENIED, EGRESS_BLOCKED, PII_DETECTED, RECORDING_TRUNCATED,
            AUDIT_CHAIN_STARTED, AUDIT_KEY_REPLACED,
            COMPUTER_ACTION, FILE_READ, FILE_WRITTEN, FILE_MOVED, FILE_DELETED);

    private EventTypes() {
    }
}
