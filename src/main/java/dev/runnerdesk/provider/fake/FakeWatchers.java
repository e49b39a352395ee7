package dev.runnerdesk.provider.fake;

import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.FileWatchListener.Change;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Who watches which folder of one fake workspace (by its real names from the root), told of changes on the
 * provider's notifier thread — never on the thread that made the change, which may hold the workspace's lock.
 */
final class FakeWatchers {
    /** A change to announce: in {@code folder}, {@code path} (from the root) had {@code change}. */
    record Notice(List<String> folder, Change change, String path) {
    }

    private final Executor notifier;
    private final Map<List<String>, List<FileWatchListener>> byFolder = new HashMap<>();

    FakeWatchers(Executor notifier) {
        this.notifier = notifier;
    }

    synchronized Subscription add(List<String> folder, FileWatchListener listener) {
        List<String> key = List.copyOf(folder);
        byFolder.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> {
            synchronized (this) {
                List<FileWatchListener> those = byFolder.get(key);
                if (those != null) {
                    those.remove(listener);
                }
            }
        };
    }

    /** The folder {@code gone} and all below it were deleted: their watchers hear no more. */
    synchronized void forget(List<String> gone) {
        byFolder.keySet().removeIf(folder -> folder.size() >= gone.size() && folder.subList(0, gone.size()).equals(gone));
    }

    void announce(List<Notice> notices) {
        for (Notice notice : notices) {
            List<FileWatchListener> listeners;
            synchronized (this) {
                listeners = byFolder.getOrDefault(notice.folder(), List.of());
            }
            for (FileWatchListener l : listeners) {
                post(() -> l.onChange(notice.change(), notice.path()));
            }
        }
    }

    /** The workspace is gone: every watch ends with {@code why}. */
    void end(RunnerException why) {
        List<FileWatchListener> all = new ArrayList<>();
        synchronized (this) {
            byFolder.values().forEach(all::addAll);
            byFolder.clear();
        }
        all.forEach(l -> post(() -> l.onEnded(why)));
    }

    private void post(Runnable call) {
        try {
            notifier.execute(call);
        } catch (RejectedExecutionException e) {
            // the provider is closing: nobody is left to hear it
        }
    }
}
