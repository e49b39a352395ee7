package dev.runnerdesk.provider;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.WorkspacePath;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * One sandbox's workspace files, as a provider serves them to the runtime. The runtime has checked the caller's role,
 * the policy and the path's words ({@link WorkspacePath}); the provider keeps every operation inside the workspace as
 * it opens the path — a symlink that leads out, or one swapped in during the operation, is refused
 * ({@link dev.runnerdesk.core.RunnerException.Forbidden}), never followed out. Missing entries are
 * {@link dev.runnerdesk.core.RunnerException.NotFound}; an existing destination or a non-empty folder without
 * {@code recursive} is {@link dev.runnerdesk.core.RunnerException.Conflict}. Entries' paths are workspace-relative.
 */
public interface WorkspaceFiles {
    /**
     * The most entries one listing returns: a folder with more (an agent can make millions of empty files) is
     * {@link #tooManyEntries}, so no listing holds an unbounded answer in memory — providers stop reading past it.
     */
    int MAX_LISTED = 10_000;

    /** Folders first, then by name; more than {@link #MAX_LISTED} entries is {@link #tooManyEntries}. */
    List<FileEntry> list(WorkspacePath folder);

    /** The refusal of a folder with more than {@link #MAX_LISTED} entries. */
    static dev.runnerdesk.core.RunnerException.TooLarge tooManyEntries(WorkspacePath folder) {
        return new dev.runnerdesk.core.RunnerException.TooLarge("the folder " + folder + " holds more than "
                + String.format("%,d", MAX_LISTED) + " entries, too many to list; list a folder inside it, or use a"
                + " terminal", MAX_LISTED);
    }

    /** Not following a final symlink. */
    FileEntry stat(WorkspacePath path);

    /** Copies up to {@code length} bytes (-1: to the end) from {@code offset} to {@code sink} as they are read. */
    FileEntry read(WorkspacePath path, long offset, long length, OutputStream sink);

    /**
     * Writes {@code content} to a temporary file beside {@code path} and renames it into place; more than
     * {@code maxBytes} is {@link dev.runnerdesk.core.RunnerException.TooLarge} with nothing changed.
     */
    FileEntry write(WorkspacePath path, InputStream content, long maxBytes);

    FileEntry makeFolder(WorkspacePath path);

    FileEntry move(WorkspacePath from, WorkspacePath to);

    void delete(WorkspacePath path, boolean recursive);

    /** Unavailable where the provider cannot watch. */
    Subscription watch(WorkspacePath folder, FileWatchListener listener);
}
