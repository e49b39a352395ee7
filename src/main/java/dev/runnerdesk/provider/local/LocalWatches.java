package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.WorkspacePath;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches of workspace folders, with one inotify instance (Java's WatchService) and one thread for them all. A folder
 * is registered through {@code /proc/self/fd/N} of a descriptor opened beneath the workspace ({@link WorkspaceFds}):
 * that name leads the kernel to the very folder the descriptor holds, wherever it is now and whatever link the
 * agent has put at its old path, so a watch can never land outside. inotify watches the folder itself, not a path:
 * once registered, no swap changes what is watched. An overflow (too many changes at once) is heard as RESCAN.
 */
final class LocalWatches implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalWatches.class.getName());

    private record Watcher(WorkspacePath folder, FileWatchListener listener) {
    }

    private final Map<WatchKey, List<Watcher>> watchers = new ConcurrentHashMap<>();
    private WatchService service;
    private boolean closed;

    /** Follows folder {@code dirFd} (the caller closes the descriptor once this returns) as {@code folder}. */
    Subscription watch(int dirFd, WorkspacePath folder, FileWatchListener listener) {
        Watcher watcher = new Watcher(folder, listener);
        WatchKey key;
        synchronized (this) {
            if (closed) {
                throw new RunnerException.Unavailable("the local provider is closing");
            }
            try {
                key = Path.of("/proc/self/fd/" + dirFd).register(service(), StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            } catch (IOException e) {
                throw new RunnerException.Unavailable("cannot watch " + folder + ": " + e.getMessage(), e);
            }
            // one key per folder: a second watch of the same folder shares it
            watchers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(watcher);
        }
        return () -> {
            synchronized (this) {
                List<Watcher> left = watchers.get(key);
                if (left != null && left.remove(watcher) && left.isEmpty()) {
                    watchers.remove(key);
                    key.cancel();
                }
            }
        };
    }

    private WatchService service() throws IOException {
        if (service == null) {
            service = FileSystems.getDefault().newWatchService();
            WatchService s = service;
            Thread t = new Thread(() -> deliver(s), "runnerdesk-workspace-watch");
            t.setDaemon(true);
            t.start();
        }
        return service;
    }

    private void deliver(WatchService s) {
        try {
            while (true) {
                WatchKey key = s.take();
                List<Watcher> to = watchers.getOrDefault(key, List.of());
                for (WatchEvent<?> event : key.pollEvents()) {
                    for (Watcher w : to) {
                        tell(w, event);
                    }
                }
                if (!key.reset()) {
                    // the folder was deleted, or its workspace went with its runner
                    List<Watcher> ended = watchers.remove(key);
                    if (ended != null) {
                        ended.forEach(w -> end(w, new RunnerException.NotFound("the watched folder " + w.folder()
                                + " is gone")));
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            watchers.values().forEach(list -> list.forEach(w -> end(w, new RunnerException.Unavailable(
                    "the local provider closed"))));
            watchers.clear();
        }
    }

    private static void tell(Watcher w, WatchEvent<?> event) {
        FileWatchListener.Change change;
        String path = w.folder().relative();
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            change = FileWatchListener.Change.RESCAN;
        } else {
            change = event.kind() == StandardWatchEventKinds.ENTRY_CREATE ? FileWatchListener.Change.CREATED
                    : event.kind() == StandardWatchEventKinds.ENTRY_DELETE ? FileWatchListener.Change.REMOVED
                    : FileWatchListener.Change.WRITTEN;
            try {
                path = w.folder().child(event.context().toString()).relative();
            } catch (RunnerException e) {
                change = FileWatchListener.Change.RESCAN;
            }
        }
        try {
            w.listener().onChange(change, path);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a workspace watcher failed", e);
        }
    }

    private static void end(Watcher w, RunnerException why) {
        try {
            w.listener().onEnded(why);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a workspace watcher failed", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the watch service: {0}", e.getMessage());
            }
        }
    }
}
