package dev.runnerdesk.provider.fake;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.FileWatchListener.Change;
import dev.runnerdesk.core.RunnerException.Conflict;
import dev.runnerdesk.core.RunnerException.Forbidden;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException.NotFound;
import dev.runnerdesk.core.RunnerException.TooLarge;
import dev.runnerdesk.core.RunnerException.Unavailable;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.provider.WorkspaceFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * One fake sandbox's workspace: a folder tree in memory with the semantics of {@link WorkspaceFiles}. Its files hold
 * at most {@code budgetBytes} together (the profile's disk limit), so no test can fill the app's memory through it.
 * Symlinks ({@link #symlink}, a test hook) are followed only while they stay inside the workspace: an absolute target
 * or one that climbs above the root is refused. Watchers hear changes on the provider's notifier thread.
 */
public final class FakeWorkspace implements WorkspaceFiles {
    private static final int MAX_LINK_HOPS = 40;
    private static final int CHUNK = 64 * 1024;

    private sealed interface Node permits Folder, Blob, Link {
    }

    private static final class Folder implements Node {
        final TreeMap<String, Node> children = new TreeMap<>();
        Instant modified;

        Folder(Instant modified) {
            this.modified = modified;
        }
    }

    private record Blob(byte[] data, Instant modified) implements Node {
    }

    private record Link(String target, Instant modified) implements Node {
    }

    private final long budgetBytes;
    private final Clock clock;
    private final FakeWatchers watchers;
    private final Folder root;
    private long usedBytes;
    private long bytesWritten;
    private long bytesRead;

    FakeWorkspace(long budgetBytes, Clock clock, Executor notifier) {
        this.budgetBytes = budgetBytes;
        this.clock = clock;
        this.watchers = new FakeWatchers(notifier);
        this.root = new Folder(clock.instant());
    }

    @Override
    public List<FileEntry> list(WorkspacePath folder) {
        synchronized (this) {
            Folder f = folder(real(folder.names(), true), folder);
            List<FileEntry> entries = new ArrayList<>();
            f.children.forEach((name, node) -> entries.add(entry(folder.child(name), node)));
            entries.sort(Comparator.comparing((FileEntry e) -> !e.isFolder()).thenComparing(FileEntry::name));
            return entries;
        }
    }

    @Override
    public synchronized FileEntry stat(WorkspacePath path) {
        return entry(path, existing(real(path.names(), false), path));
    }

    @Override
    public FileEntry read(WorkspacePath path, long offset, long length, OutputStream sink) {
        Blob blob;
        synchronized (this) {
            Node node = existing(real(path.names(), true), path);
            if (!(node instanceof Blob b)) {
                throw new Conflict(path + " is a folder, not a file");
            }
            blob = b; // its bytes never change: a write replaces the whole blob
        }
        long start = Math.min(offset, blob.data().length);
        long end = length < 0 ? blob.data().length : Math.min(blob.data().length, start + length);
        try {
            for (long at = start; at < end; at += CHUNK) {
                int n = (int) Math.min(CHUNK, end - at);
                sink.write(blob.data(), (int) at, n);
                synchronized (this) {
                    bytesRead += n;
                }
            }
            sink.flush();
        } catch (IOException e) {
            throw new Unavailable("the download of " + path + " stopped: " + e.getMessage());
        }
        return entry(path, blob);
    }

    @Override
    public FileEntry write(WorkspacePath path, InputStream content, long maxBytes) {
        if (path.isRoot()) {
            throw new InvalidRequest("path", "the workspace root is a folder, not a file");
        }
        synchronized (this) { // fail before reading the upload when it cannot land
            Node there = get(target(path));
            if (there instanceof Folder) {
                throw new Conflict(path + " is a folder; a file cannot replace it");
            }
        }
        long cap = Math.min(maxBytes, budgetBytes);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[CHUNK];
        try {
            for (int n; (n = content.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
                if (received.size() > cap) {
                    throw tooLarge(path, maxBytes, received.size() > maxBytes);
                }
            }
        } catch (IOException e) {
            throw new Unavailable("the upload of " + path + " stopped: " + e.getMessage());
        }
        byte[] data = received.toByteArray();
        FakeWatchers.Notice notice;
        FileEntry entry;
        synchronized (this) {
            List<String> real = target(path);
            Node old = get(real);
            if (old instanceof Folder) {
                throw new Conflict(path + " is a folder; a file cannot replace it");
            }
            long freed = old instanceof Blob b ? b.data().length : 0;
            if (usedBytes - freed + data.length > budgetBytes) {
                throw tooLarge(path, maxBytes, false);
            }
            Blob blob = new Blob(data, clock.instant());
            put(real, blob);
            usedBytes += data.length - freed;
            bytesWritten += data.length;
            entry = entry(path, blob);
            notice = new FakeWatchers.Notice(real.subList(0, real.size() - 1), old == null ? Change.CREATED : Change.WRITTEN,
                    String.join("/", real));
        }
        watchers.announce(List.of(notice));
        return entry;
    }

    @Override
    public FileEntry makeFolder(WorkspacePath path) {
        List<FakeWatchers.Notice> notices = new ArrayList<>();
        FileEntry entry;
        synchronized (this) {
            List<String> real = real(path.names(), true);
            List<String> done = new ArrayList<>();
            Folder at = root;
            for (String name : real) {
                Node child = at.children.get(name);
                if (child == null) {
                    child = new Folder(clock.instant());
                    at.children.put(name, child);
                    at.modified = clock.instant();
                    notices.add(new FakeWatchers.Notice(List.copyOf(done), Change.CREATED, join(done, name)));
                }
                if (!(child instanceof Folder f)) {
                    throw new Conflict(path + " cannot be made: " + join(done, name) + " exists and is not a folder");
                }
                done.add(name);
                at = f;
            }
            entry = entry(path, at);
        }
        watchers.announce(notices);
        return entry;
    }

    @Override
    public FileEntry move(WorkspacePath from, WorkspacePath to) {
        if (from.isRoot() || to.isRoot()) {
            throw new InvalidRequest(from.isRoot() ? "from" : "to", "the workspace root cannot be moved or replaced");
        }
        List<FakeWatchers.Notice> notices = new ArrayList<>();
        FileEntry entry;
        synchronized (this) {
            List<String> source = real(from.names(), false);
            Node node = existing(source, from);
            List<String> dest = target(to);
            if (get(dest) != null) {
                throw new Conflict(to + " already exists; move it away or delete it first");
            }
            if (dest.size() >= source.size() && dest.subList(0, source.size()).equals(source)) {
                throw new InvalidRequest("to", "a folder cannot be moved into itself (" + from + " to " + to + ")");
            }
            remove(source);
            put(dest, node);
            entry = entry(to, node);
            notices.add(new FakeWatchers.Notice(source.subList(0, source.size() - 1), Change.RENAMED, String.join("/", source)));
            notices.add(new FakeWatchers.Notice(dest.subList(0, dest.size() - 1), Change.CREATED, String.join("/", dest)));
        }
        watchers.announce(notices);
        return entry;
    }

    @Override
    public void delete(WorkspacePath path, boolean recursive) {
        if (path.isRoot()) {
            throw new InvalidRequest("path", "the workspace root cannot be deleted");
        }
        FakeWatchers.Notice notice;
        synchronized (this) {
            List<String> real = real(path.names(), false);
            Node node = existing(real, path);
            if (node instanceof Folder f && !f.children.isEmpty() && !recursive) {
                throw new Conflict(path + " is a folder that is not empty; delete it recursively to delete what it holds");
            }
            remove(real);
            usedBytes -= bytesIn(node);
            watchers.forget(real);
            notice = new FakeWatchers.Notice(real.subList(0, real.size() - 1), Change.REMOVED, String.join("/", real));
        }
        watchers.announce(List.of(notice));
    }

    @Override
    public Subscription watch(WorkspacePath folder, FileWatchListener listener) {
        synchronized (this) {
            List<String> real = real(folder.names(), true);
            folder(real, folder);
            return watchers.add(real, listener);
        }
    }

    /** Test hook: makes a symlink at {@code path} pointing at {@code target} as written (not checked, as {@code ln -s}). */
    public FileEntry symlink(WorkspacePath path, String target) {
        Link link = new Link(target, clock.instant());
        synchronized (this) {
            List<String> real = target(path);
            if (get(real) != null) {
                throw new Conflict(path + " already exists");
            }
            put(real, link);
            return entry(path, link);
        }
    }

    /** Bytes the files hold together. */
    public synchronized long usedBytes() {
        return usedBytes;
    }

    /** Files, folders and links, the root not counted. */
    public synchronized int entryCount() {
        return count(root);
    }

    synchronized long bytesWritten() {
        return bytesWritten;
    }

    synchronized long bytesRead() {
        return bytesRead;
    }

    long budgetBytes() {
        return budgetBytes;
    }

    /** The sandbox was destroyed: every watch ends. */
    void end() {
        watchers.end(new Conflict("the runner's sandbox was destroyed"));
    }

    /** The real names of {@code names}: each symlink on the way (and the last one too when {@code followLast}) resolved. */
    private List<String> real(List<String> names, boolean followLast) {
        List<String> pending = new ArrayList<>(names);
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String name = pending.remove(0);
            Node child = get(done) instanceof Folder f ? f.children.get(name) : null;
            if (child instanceof Link link && (!pending.isEmpty() || followLast)) {
                if (++hops > MAX_LINK_HOPS) {
                    throw new Forbidden(join(done, name) + " goes through too many symlinks");
                }
                List<String> through = linkTarget(done, link, join(done, name));
                pending.addAll(0, through);
                done.clear();
                continue;
            }
            done.add(name);
        }
        return done;
    }

    /** A link's target as names from the root; one that leads out of the workspace is refused. */
    private static List<String> linkTarget(List<String> folder, Link link, String at) {
        if (link.target().startsWith("/")) {
            throw new Forbidden(at + " is a symlink to " + link.target() + ", outside the workspace; it is not followed");
        }
        List<String> names = new ArrayList<>(folder);
        for (String name : link.target().split("/")) {
            if (name.equals("..")) {
                if (names.isEmpty()) {
                    throw new Forbidden(at + " is a symlink that leads out of the workspace; it is not followed");
                }
                names.remove(names.size() - 1);
            } else if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }

    /** Where an entry named {@code path} goes: its folder resolved (which must exist), its own name as given. */
    private List<String> target(WorkspacePath path) {
        List<String> parent = real(path.parent().names(), true);
        folder(parent, path.parent());
        List<String> real = new ArrayList<>(parent);
        real.add(path.name());
        return real;
    }

    private Node get(List<String> real) {
        Node at = root;
        for (String name : real) {
            if (!(at instanceof Folder f)) {
                return null;
            }
            at = f.children.get(name);
            if (at == null) {
                return null;
            }
        }
        return at;
    }

    private Node existing(List<String> real, WorkspacePath asked) {
        Node node = get(real);
        if (node == null) {
            throw new NotFound(asked + " does not exist in the workspace");
        }
        return node;
    }

    private Folder folder(List<String> real, WorkspacePath asked) {
        if (!(existing(real, asked) instanceof Folder f)) {
            throw new Conflict(asked + " is a file, not a folder");
        }
        return f;
    }

    private void put(List<String> real, Node node) {
        Folder parent = (Folder) get(real.subList(0, real.size() - 1));
        parent.children.put(real.get(real.size() - 1), node);
        parent.modified = clock.instant();
    }

    private void remove(List<String> real) {
        Folder parent = (Folder) get(real.subList(0, real.size() - 1));
        parent.children.remove(real.get(real.size() - 1));
        parent.modified = clock.instant();
    }

    private TooLarge tooLarge(WorkspacePath path, long maxBytes, boolean overUpload) {
        return overUpload
                ? new TooLarge("the upload to " + path + " is larger than the limit of " + maxBytes + " bytes; nothing was written", maxBytes)
                : new TooLarge("the workspace is full: its files may hold " + budgetBytes + " bytes together;"
                        + " nothing was written to " + path, budgetBytes);
    }

    private static long bytesIn(Node node) {
        if (node instanceof Blob b) {
            return b.data().length;
        }
        return node instanceof Folder f ? f.children.values().stream().mapToLong(FakeWorkspace::bytesIn).sum() : 0;
    }

    private static int count(Folder folder) {
        int n = folder.children.size();
        for (Node child : folder.children.values()) {
            if (child instanceof Folder f) {
                n += count(f);
            }
        }
        return n;
    }

    private static String join(List<String> folder, String name) {
        return folder.isEmpty() ? name : String.join("/", folder) + "/" + name;
    }

    private static FileEntry entry(WorkspacePath path, Node node) {
        if (node instanceof Blob b) {
            return new FileEntry(path.relative(), path.name(), FileEntry.Kind.FILE, b.data().length, 0644, b.modified(), Optional.empty());
        }
        if (node instanceof Link l) {
            return new FileEntry(path.relative(), path.name(), FileEntry.Kind.SYMLINK, l.target().length(), 0777, l.modified(),
                    Optional.of(l.target()));
        }
        return new FileEntry(path.relative(), path.name(), FileEntry.Kind.FOLDER, 0, 0755, ((Folder) node).modified, Optional.empty());
    }
}
