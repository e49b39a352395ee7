package dev.runnerdesk.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The service-layer contract every backend implements (embedded runtime, gateway client). Calls block,
 * are thread-safe, act for one caller (whose role is checked on every call) and fail only with
 * {@link RunnerException}. Implementations must never be called on the UI thread.
 */
public interface RunnerService extends AutoCloseable {
    /** {@link #subscribe} from now on, with no replay. */
    long ONLY_NEW = -1;
    /** The most checkpoints or events one {@link #auditCheckpoints} or {@link #auditEvents} call returns. */
    int AUDIT_PAGE_LIMIT = 5_000;

    /** Creates a runner and provisions its sandbox; it is {@code ready} when this returns. Admin. */
    Runner create(CreateRunnerRequest request);

    /** Runners newest first. */
    RunnerPage list(RunnerQuery query);

    Runner get(String runnerId);

    /** Starts the runner's one active session; {@code ttlOverrideSeconds} sets the session's own TTL. Operator. */
    Session startSession(String runnerId, Optional<Integer> ttlOverrideSeconds);

    /** Runs a command in the active session and waits for it. Operator. */
    default ExecResult exec(String runnerId, String sessionId, ExecRequest request) {
        return exec(runnerId, sessionId, request, OutputListener.NONE);
    }

    /** As {@link #exec(String, String, ExecRequest)}, handing output to {@code output} as it is produced. */
    ExecResult exec(String runnerId, String sessionId, ExecRequest request, OutputListener output);

    /**
     * Opens an interactive login shell in the active session, for providers with a terminal
     * ({@link ProviderInfo#interactiveTerminal()}); others answer {@link RunnerException.Unavailable} and the
     * caller falls back to exec. Stopping the session or the runner ends it. Operator.
     */
    Terminal openTerminal(String runnerId, String sessionId, TerminalSize size, TerminalListener listener);

    /**
     * The asciicast v2 recording of a session's terminal ({@code index} from 1, as listed in the
     * {@code recordings} of its {@code session.stopped} event). Read.
     */
    String recording(String runnerId, String sessionId, int index);

    /**
     * A PNG screenshot a computer-use runner stored, named by the {@code screenshot} field of its
     * {@code computer.action} event. Read.
     */
    byte[] screenshot(String runnerId, String name);

    /** Stops a session; the runner goes back to {@code ready}. Operator. */
    Session stopSession(String runnerId, String sessionId);

    /** Ends every session, frees the sandbox; the runner is {@code terminated} for good. Admin. */
    Runner terminate(String runnerId);

    /** A page of the audit trail, newest first. */
    EventPage events(EventQuery query);

    /**
     * Live events of one runner or of all: every event after {@code afterSeq} (0 = from the first; a seq
     * seen before = resume without loss), or {@link #ONLY_NEW}. The listener hears
     * {@link EventListener#onSubscribed} with the seq the subscription starts after, before any event.
     */
    Subscription subscribe(Optional<String> runnerId, long afterSeq, EventListener listener);

    Policies policies();

    /** Replaces the policies; each changed profile is a {@code policy.updated} event. Admin. */
    Policies updatePolicies(Policies policies);

    WhoAmI whoami();

    /** Who has which role here. Admins see everyone; others see themselves. */
    List<Member> members();

    /**
     * Every provider and whether it can create runners here; {@link ProviderInfo#interactiveTerminal()} only where
     * {@link #openTerminal} opens one through this service (a provider with a PTY behind a gateway without a terminal
     * route reports none).
     */
    List<ProviderInfo> providers();

    /** Where the audit trail stands: its chain id, public key, newest event and newest signed checkpoint. Read. */
    AuditStatus auditStatus();

    /** Signed checkpoints numbered after {@code afterNumber}, oldest first, at most {@code limit}. Audit. */
    List<AuditCheckpoint> auditCheckpoints(long afterNumber, int limit);

    /** Events after {@code afterSeq}, oldest first, at most {@code limit}: the trail as it is hashed, for exports. Audit. */
    List<AuditEvent> auditEvents(long afterSeq, int limit);

    /**
     * Verifies the events {@code fromSeq..toSeq} (clamped to the trail) and every signed checkpoint; reports progress
     * where the backend can. Interrupting the calling thread cancels it. Audit.
     */
    ChainVerification verifyAudit(long fromSeq, long toSeq, AuditProgress progress);

    // Workspace files (issue 18). Paths are workspace-relative ("src/main.py"; "" or "/" is the root), checked with
    // WorkspacePath; ".." and symlinks that lead out are refused. A runner that has ended has no files (Conflict).
    // Listing and stat: read. Download: read, and for viewers and auditors only where the profile's FileAccess allows.
    // Writing, folders, moves and deletes: operate. Each download, upload, move and delete is an audit event
    // (file.read, file.written, file.moved, file.deleted) with the path, size and SHA-256 of what was moved or sent.
    // Backends without files answer Unavailable.

    /** The entries of a folder, folders first, then by name. */
    default List<FileEntry> listFiles(String runnerId, String folder) {
        throw new RunnerException.Unavailable("this backend has no workspace files");
    }

    /** One entry, not following a final symlink. */
    default FileEntry statFile(String runnerId, String path) {
        throw new RunnerException.Unavailable("this backend has no workspace files");
    }

    /**
     * Copies up to {@code length} bytes of a file from {@code offset} ({@code length} -1: to its end) to {@code sink},
     * as they are read (never the whole file in memory); the entry as it was read. A {@code file.read} event.
     */
    default FileEntry readFile(String runnerId, String path, long offset, long length, OutputStream sink) {
        throw new RunnerException.Unavailable("this backend has no workspace files");
    }

    /**
     * Creates or replaces a file with {@code content} read to its end, atomically (a reader sees the old file or the
     * new one, never a part); over the profile's upload limit it is {@link RunnerException.TooLarge} and nothing
     * changes. Its folder must exist. A {@code file.written} event.
     */
    default FileEntry writeFile(String runnerId, String path, InputStream content) {
        throw new RunnerException.Unavailable("this backend has no workspace files");
    }

    /** Makes a folder (and the folders it needs); an existing folder is not an error. */
    default FileEntry makeFolder(String runnerId, String path) {
        throw new RunnerException.Unavailable("this backend has no workspace files");
    }

    /** Moves or renames; an existing {@code to} is Conflict (never replaced). A {@code file.moved} event. */
    default FileEntry moveFile(String runnerId, String from, String to) {
        throw new RunnerException.Unavailable("this backend has no workspace files");
    }

    /** Deletes a file, a symlink (not what it points at) or a folder ({@code recursive} for one that is not empty). */
    default void deleteFile(String runnerId, String path, boolean recursive) {
        throw new RunnerException.Unavailable("this backend has no workspace files");
    }

    /** Follows the changes in a folder (not its subfolders) where the provider can watch; else Unavailable. Read. */
    default Subscription watchFiles(String runnerId, String folder, FileWatchListener listener) {
        throw new RunnerException.Unavailable("this backend cannot watch workspace files");
    }

    /**
     * The runner's resource samples after {@code since}, oldest first, at most {@link MetricsSample#KEPT} back;
     * asking starts (or keeps up) sampling every {@link MetricsSample#INTERVAL} for a while. Read.
     */
    default List<MetricsSample> metrics(String runnerId, Instant since) {
        throw new RunnerException.Unavailable("this backend has no runner metrics");
    }

    @Override
    void close();
}
