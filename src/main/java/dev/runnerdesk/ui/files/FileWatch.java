package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.animation.PauseTransition;
import javafx.util.Duration;

/**
 * Follows the open folder's changes where the backend can watch: a burst of changes lists the folder once, a moment
 * after the last of them. One watch at a time (the open folder of the shown runner, while the tab is shown); where the
 * backend cannot watch, the tab says so and Refresh (F5) is the way. Used on the FX thread; the watch itself is opened
 * and closed off it.
 */
final class FileWatch {
    static final String LIVE = "Live: changes in this folder show by themselves";
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final FilesModel model;
    private final PauseTransition settle = new PauseTransition(Duration.millis(300));
    private Subscription current;
    private String runnerId;
    private String folder;
    private int generation;

    FileWatch(ActiveConnection connection, TaskExecutor tasks, FilesModel model, Runnable relist) {
        this.connection = connection;
        this.tasks = tasks;
        this.model = model;
        settle.setOnFinished(e -> relist.run());
    }

    /** Whether the folder is watched now (or the watch is being opened). */
    boolean watching(String runnerId, String folder) {
        return runnerId.equals(this.runnerId) && folder.equals(this.folder);
    }

    /** Watches {@code folder} of {@code runnerId} instead of what was watched. */
    void start(String runnerId, String folder) {
        stop();
        var service = connection.service();
        if (service == null) {
            return;
        }
        int gen = ++generation;
        this.runnerId = runnerId;
        this.folder = folder;
        FileWatchListener listener = new FileWatchListener() {
            @Override
            public void onChange(Change change, String path) {
                tasks.onUiThread(() -> {
                    if (gen == generation) {
                        settle.playFromStart();
                    }
                });
            }

            @Override
            public void onEnded(RunnerException why) {
                tasks.onUiThread(() -> {
                    if (gen == generation) {
                        FileWatch.this.runnerId = null;
                        model.live.set("Live refresh stopped (" + Notifier.describe(why) + ") — Refresh or F5 lists the folder again");
                    }
                });
            }
        };
        tasks.submit("Watch " + (folder.isEmpty() ? "the workspace" : folder) + " of " + runnerId,
                () -> service.watchFiles(runnerId, folder, listener), sub -> {
                    if (gen != generation) {
                        tasks.closeInBackground("stop watching a folder", sub);
                        return;
                    }
                    current = sub;
                    model.live.set(sub.note().isEmpty() ? LIVE : "Live: " + sub.note());
                }, e -> {
                    if (gen == generation) {
                        // the listing stays; only its refreshing by itself is missing
                        model.live.set("Live refresh is not available here (" + Notifier.describe(e)
                                + ") — Refresh or F5 lists the folder again");
                    }
                });
    }

    /** Stops watching (another folder, the tab hidden, another runner). */
    void stop() {
        generation++;
        settle.stop();
        runnerId = null;
        folder = null;
        if (current != null) {
            tasks.closeInBackground("stop watching a folder", current);
            current = null;
        }
    }
}
