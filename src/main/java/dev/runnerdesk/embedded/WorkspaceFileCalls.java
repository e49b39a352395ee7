package dev.runnerdesk.embedded;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Role.Permission;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException.NotFound;
import dev.runnerdesk.core.RunnerException.TooLarge;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.provider.WorkspaceFiles;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A runner's workspace files for one caller, in order: the caller's role (a refusal is {@code auth.denied}), the
 * paths' words ({@link WorkspacePath}, naming the field), the runner alive ({@link LiveSandbox}), the profile's
 * {@link FileAccess}, then the provider. Each download, upload, move and delete that happened is an audit event
 * with the SHA-256 of the bytes as they streamed; listing, stat, new folders and watching are not audited. An
 * upload over the limit changes nothing and records nothing (like any other invalid request); a download that
 * breaks off after bytes were sent is recorded as incomplete, with what was sent.
 */
final class WorkspaceFileCalls {
    /** A deleted file is hashed for its event up to this size; past it, reading it all back is not cheap. */
    static final long DELETED_HASH_LIMIT = 16L * 1024 * 1024;
    private static final String FILES = "workspace files";

    private final EmbeddedRuntime rt;
    private final CallerAccess access;
    private final RunnerLookup lookup;

    WorkspaceFileCalls(EmbeddedRuntime rt, CallerAccess access, RunnerLookup lookup) {
        this.rt = rt;
        this.access = access;
        this.lookup = lookup;
    }

    List<FileEntry> list(String runnerId, String folder) {
        access.require(Permission.READ, runnerId, "list workspace files");
        WorkspacePath path = WorkspacePath.parse("folder", folder);
        LiveSandbox box = LiveSandbox.find(rt, lookup, runnerId, FILES);
        List<FileEntry> entries = box.call(rt, () -> box.provider().files(box.ref()).list(path));
        if (entries.size() > WorkspaceFiles.MAX_LISTED) { // a provider that could not stop reading sooner
            throw WorkspaceFiles.tooManyEntries(path);
        }
        return entries;
    }

    FileEntry stat(String runnerId, String raw) {
        access.require(Permission.READ, runnerId, "list workspace files");
        WorkspacePath path = WorkspacePath.parse("path", raw);
        LiveSandbox box = LiveSandbox.find(rt, lookup, runnerId, FILES);
        return box.call(rt, () -> box.provider().files(box.ref()).stat(path));
    }

    FileEntry read(String runnerId, String raw, long offset, long length, OutputStream sink) {
        String action = "download workspace files";
        access.require(Permission.READ, runnerId, action);
        WorkspacePath path = WorkspacePath.parse("path", raw);
        if (offset < 0) {
            throw new InvalidRequest("offset", "offset must be 0 or more, got " + offset);
        }
        if (length < -1) {
            throw new InvalidRequest("length", "length must be 0 or more (or -1: to the end), got " + length);
        }
        Objects.requireNonNull(sink, "sink");
        LiveSandbox box = LiveSandbox.find(rt, lookup, runnerId, FILES);
        Role role = access.caller().role();
        if (!box.policy().files().mayDownload(role)) {
            throw access.denied(runnerId, action, "required_permission", Permission.OPERATE.name().toLowerCase(Locale.ROOT),
                    "role " + role.wireName() + " may not " + action + " of " + box.policy().profile().wireName()
                            + " runners; its policy lets only " + Role.namesWith(Permission.OPERATE) + " download them"
                            + " (viewers and auditors may still list them)");
        }
        ByteTally sent = new ByteTally();
        FileEntry entry;
        try {
            entry = box.call(rt, () -> box.provider().files(box.ref()).read(path, offset, length, sent.around(sink)));
        } catch (RuntimeException e) {
            if (sent.count() > 0) { // what left is audited, even when the rest did not
                Map<String, Object> data = readData(path, offset, sent);
                data.put("incomplete", true);
                event(EventTypes.FILE_READ, runnerId, data);
            }
            throw e;
        }
        event(EventTypes.FILE_READ, runnerId, readData(path, offset, sent));
        return entry;
    }

    FileEntry write(String runnerId, String raw, InputStream content) {
        access.require(Permission.OPERATE, runnerId, "upload workspace files");
        WorkspacePath path = notRoot("path", raw);
        Objects.requireNonNull(content, "content");
        LiveSandbox box = LiveSandbox.find(rt, lookup, runnerId, FILES);
        long max = box.policy().files().maxUploadBytes();
        // asked before the upload: another caller's write in between makes this stale, which the event may say wrongly
        // but harmlessly (the path, size and hash are of this upload)
        boolean replaced = box.call(rt, () -> {
            try {
                return !box.provider().files(box.ref()).stat(path).isFolder(); // a folder there: the provider refuses
            } catch (NotFound e) {
                return false;
            }
        });
        ByteTally received = new ByteTally();
        InputStream counted = received.around(content, max, () -> new TooLarge("the upload to " + path + " is larger than the "
                + box.policy().profile().wireName() + " profile's limit of " + box.policy().files().maxUploadMib()
                + " MiB; nothing was written", max));
        FileEntry entry = box.call(rt, () -> box.provider().files(box.ref()).write(path, counted, max));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", path.relative());
        data.put("size", received.count());
        data.put("sha256", received.sha256());
        data.put("replaced", replaced);
        event(EventTypes.FILE_WRITTEN, runnerId, data);
        return entry;
    }

    FileEntry makeFolder(String runnerId, String raw) {
        access.require(Permission.OPERATE, runnerId, "make workspace folders");
        WorkspacePath path = WorkspacePath.parse("path", raw);
        LiveSandbox box = LiveSandbox.find(rt, lookup, runnerId, FILES);
        return box.call(rt, () -> box.provider().files(box.ref()).makeFolder(path));
    }

    FileEntry move(String runnerId, String rawFrom, String rawTo) {
        access.require(Permission.OPERATE, runnerId, "move workspace files");
        WorkspacePath from = notRoot("from", rawFrom);
        WorkspacePath to = notRoot("to", rawTo);
        LiveSandbox box = LiveSandbox.find(rt, lookup, runnerId, FILES);
        FileEntry moved = box.call(rt, () -> box.provider().files(box.ref()).move(from, to));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", from.relative());
        data.put("to", to.relative());
        data.put("kind", moved.kind().wireName());
        event(EventTypes.FILE_MOVED, runnerId, data);
        return moved;
    }

    void delete(String runnerId, String raw, boolean recursive) {
        access.require(Permission.OPERATE, runnerId, "delete workspace files");
        WorkspacePath path = notRoot("path", raw);
        LiveSandbox box = LiveSandbox.find(rt, lookup, runnerId, FILES);
        FileEntry before = box.call(rt, () -> box.provider().files(box.ref()).stat(path));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", path.relative());
        data.put("kind", before.kind().wireName());
        data.put("recursive", recursive);
        if (before.kind() == FileEntry.Kind.FILE) {
            data.put("size", before.size());
            if (before.size() <= DELETED_HASH_LIMIT) {
                hashOf(box, path).ifPresent(sha -> data.put("sha256", sha));
            }
        }
        box.call(rt, () -> {
            box.provider().files(box.ref()).delete(path, recursive);
            return null;
        });
        event(EventTypes.FILE_DELETED, runnerId, data);
    }

    Subscription watch(String runnerId, String folder, FileWatchListener listener) {
        access.require(Permission.READ, runnerId, "watch workspace files");
        WorkspacePath path = WorkspacePath.parse("folder", folder);
        Objects.requireNonNull(listener, "listener");
        LiveSandbox box = LiveSandbox.find(rt, lookup, runnerId, FILES);
        return box.call(rt, () -> box.provider().files(box.ref()).watch(path, listener));
    }

    /** What a file about to be deleted holds, hashed as it streams past; empty when it cannot be read back. */
    private Optional<String> hashOf(LiveSandbox box, WorkspacePath path) {
        ByteTally tally = new ByteTally();
        try {
            box.provider().files(box.ref()).read(path, 0, -1, tally.around(OutputStream.nullOutputStream()));
            return Optional.of(tally.sha256());
        } catch (RunnerException e) {
            return Optional.empty(); // the delete still goes ahead; its event says what it can
        }
    }

    private static WorkspacePath notRoot(String field, String raw) {
        WorkspacePath path = WorkspacePath.parse(field, raw);
        if (path.isRoot()) {
            throw new InvalidRequest(field, field + " must name an entry inside the workspace, not the workspace itself");
        }
        return path;
    }

    private static Map<String, Object> readData(WorkspacePath path, long offset, ByteTally sent) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", path.relative());
        data.put("offset", offset);
        data.put("size", sent.count());
        data.put("sha256", sent.sha256());
        return data;
    }

    private void event(String type, String runnerId, Map<String, Object> data) {
        rt.write(tx -> tx.event(type, runnerId, null, access.caller(), data));
    }
}
