package dev.runnerdesk.core;

/**
 * Hears the changes in a watched workspace folder ({@link RunnerService#watchFiles}), on a thread of the backend's.
 * {@code path} is relative to the workspace root; a change the provider cannot name precisely (many at once, an
 * overflow) is {@link Change#RESCAN}: list the folder again.
 */
public interface FileWatchListener {
    /** What happened to an entry. */
    enum Change {
        CREATED, WRITTEN, REMOVED, RENAMED, RESCAN
    }

    void onChange(Change change, String path);

    /** The watch ended by itself (the runner ended, the connection dropped); no more changes come. */
    default void onEnded(RunnerException why) {
    }
}
