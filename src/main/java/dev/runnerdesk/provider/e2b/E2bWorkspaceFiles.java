package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.provider.WorkspaceFiles;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An E2B runner's workspace: the sandbox user's home, {@value #ROOT}, where its commands start (envd runs them as
 * that user, from that folder) — every {@link WorkspacePath} is a path under it, sent to envd as an absolute path.
 * <p><b>Symlinks.</b> envd resolves paths itself, following links. So before acting, every existing component of the
 * path, from the workspace folder down, is looked at with {@code Stat} (one call each), and the operation is refused
 * ({@link RunnerException.Forbidden}) when one is a link that leads outside the workspace, or whose target envd cannot
 * resolve. Only {@link #stat} and {@link #list} show a final link as it is (its entry, with the target envd reports)
 * rather than following it. What remains is a race: the agent runs in the sandbox and may swap a checked folder for a
 * link between the check and envd's call (or between an upload and its rename). That is weighed so: the E2B sandbox is
 * the agent's own virtual machine, where it may run anything as root anyway; a file read or written through such a
 * swap is one of that machine's, never this computer's nor another runner's. The checks keep the workspace meaning
 * the workspace (no download of the sandbox's {@code /etc} through a link, no upload that lands outside), not a wall
 * against an agent that attacks its own machine.
 * <p><b>Writes</b> go to a temporary name beside the target ({@value #TEMP_PREFIX}…, hidden from listings and
 * watches) and are then moved onto it with envd's {@code Move}, which is {@code rename(2)}: a reader sees the old file
 * or the new, and an upload over the limit, or one that breaks off, leaves the target as it was (the temporary is
 * removed). The new file has envd's default mode: a replaced script loses its execute bit (envd has no call to set
 * one). {@code Move} itself replaces what is at its destination, so {@link #move} looks there first and answers
 * Conflict — another race of the same kind. Writes and moves want the receiving folder to exist, as the other
 * providers do, although envd would make it.
 */
final class E2bWorkspaceFiles implements WorkspaceFiles {
    /** The workspace in every E2B sandbox: the default user's home, envd's working folder for commands. */
    static final String ROOT = "/home/user";
    static final String TEMP_PREFIX = ".runnerdesk-upload-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EnvdFiles envd;

    E2bWorkspaceFiles(EnvdFiles envd) {
        this.envd = envd;
    }

    /**
     * A path checked component by component: its absolute path in the sandbox, its entry when it exists, and whether
     * the folder that would hold it exists.
     */
    private record Checked(String absolute, Optional<EnvdFiles.Entry> last, boolean parentExists) {
        boolean isFolder() {
            return last.isPresent() && last.get().type() == EnvdFiles.Type.DIRECTORY;
        }
    }

    static String absolute(WorkspacePath path) {
        return path.under(ROOT);
    }

    private static boolean inside(String resolved) {
        return resolved.equals(ROOT) || resolved.startsWith(ROOT + "/");
    }

    /**
     * Looks at the workspace folder and each component of {@code path} that exists; refuses a link that leads out.
     * {@code followLast} false leaves the last component unlooked-at (stat reports a final link as it is).
     */
    private Checked check(WorkspacePath path, boolean followLast) {
        String current = ROOT;
        Optional<EnvdFiles.Entry> entry = Optional.empty();
        List<String> names = path.names();
        for (int i = -1; i < names.size(); i++) {
            boolean last = i == names.size() - 1;
            if (i >= 0) {
                current = current + "/" + names.get(i);
            }
            if (last && !followLast) {
                return new Checked(current, Optional.empty(), true);
            }
            try {
                entry = Optional.of(envd.stat(current));
            } catch (RunnerException.NotFound e) {
                // the rest is not there yet
                return new Checked(absolute(path), Optional.empty(), i == names.size() - 1);
            }
            Optional<String> leads = entry.get().leadsTo(current);
            if (leads.isPresent() && (!inside(leads.get()) || leads.get().equals(current))) {
                String shown = i < 0 ? "the workspace folder " + ROOT : WorkspacePath.parse("path",
                        String.join("/", names.subList(0, i + 1))).toString();
                throw new RunnerException.Forbidden(shown + " is a symlink to " + (leads.get().equals(current)
                        ? "something that does not exist" : leads.get()) + ", outside the workspace (" + ROOT
                        + "); RunnerDesk does not follow it");
            }
            if (!last && entry.get().type() == EnvdFiles.Type.FILE) {
                throw new RunnerException.NotFound(path + " is not in the workspace: "
                        + WorkspacePath.parse("path", String.join("/", names.subList(0, i + 1))) + " is a file, not a folder");
            }
        }
        return new Checked(current, entry, true);
    }

    private Checked existing(WorkspacePath path) {
        Checked c = check(path, true);
        if (c.last().isEmpty()) {
            throw new RunnerException.NotFound(path + " does not exist in the workspace of E2B sandbox " + envd.sandboxId());
        }
        return c;
    }

    static FileEntry entry(WorkspacePath path, EnvdFiles.Entry e) {
        FileEntry.Kind kind = e.isSymlink() ? FileEntry.Kind.SYMLINK : switch (e.type()) {
            case FILE -> FileEntry.Kind.FILE;
            case DIRECTORY -> FileEntry.Kind.FOLDER;
            default -> FileEntry.Kind.OTHER;
        };
        return new FileEntry(path.relative(), path.name(), kind, kind == FileEntry.Kind.FOLDER ? 0 : e.size(), e.mode(),
                e.modified(), kind == FileEntry.Kind.SYMLINK ? Optional.of(e.symlinkTarget().orElse("")) : Optional.empty());
    }

    @Override
    public List<FileEntry> list(WorkspacePath folder) {
        Checked c = existing(folder);
        if (!c.isFolder()) {
            throw new RunnerException.Conflict("cannot list " + folder + ": it is not a folder");
        }
        List<FileEntry> entries = new ArrayList<>();
        for (EnvdFiles.Entry e : envd.list(c.absolute())) {
            if (!e.name().startsWith(TEMP_PREFIX) && !e.name().isEmpty()) {
                entries.add(entry(folder.child(e.name()), e));
            }
        }
        entries.sort(Comparator.comparing((FileEntry e) -> !e.isFolder()).thenComparing(FileEntry::name));
        return entries;
    }

    @Override
    public FileEntry stat(WorkspacePath path) {
        if (path.isRoot()) {
            return entry(path, existing(path).last().orElseThrow());
        }
        check(path.parent(), true);
        String absolute = absolute(path);
        EnvdFiles.Entry e = envd.stat(absolute);
        if (e.symlinkTarget().isEmpty() && !e.path().isEmpty() && !e.path().equals(absolute)) {
            // an envd that resolves the path before its stat described the link's target: say it is a link, to where
            e = new EnvdFiles.Entry(e.name(), EnvdFiles.Type.SYMLINK, absolute, 0, 0, e.modified(), Optional.of(e.path()));
        }
        return entry(path, e);
    }

    @Override
    public FileEntry read(WorkspacePath path, long offset, long length, OutputStream sink) {
        if (offset < 0) {
            throw new RunnerException.InvalidRequest("offset", "offset must be 0 or more");
        }
        Checked c = existing(path);
        if (c.isFolder()) {
            throw new RunnerException.Conflict("cannot read " + path + ": it is a folder");
        }
        envd.download(c.absolute(), offset, length, sink);
        return entry(path, c.last().orElseThrow());
    }

    @Override
    public FileEntry write(WorkspacePath path, InputStream content, long maxBytes) {
        if (path.isRoot()) {
            throw new RunnerException.InvalidRequest("path", "path must name a file inside the workspace");
        }
        Checked c = check(path, true);
        if (c.isFolder()) {
            throw new RunnerException.Conflict("cannot write " + path + ": it is a folder");
        }
        if (!c.parentExists()) { // envd would make the folders on the way; the other providers do not
            throw new RunnerException.NotFound("cannot write " + path + ": the folder " + path.parent() + " does not exist");
        }
        String temp = absolute(path.parent().child(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes()) + ".tmp"));
        try {
            envd.upload(temp, content, maxBytes, () -> new RunnerException.TooLarge("cannot write " + path
                    + ": it is larger than the limit of " + maxBytes + " bytes; nothing was written", maxBytes));
            envd.move(temp, absolute(path));
        } catch (RuntimeException e) {
            removeQuietly(temp);
            throw e;
        }
        return entry(path, envd.stat(absolute(path)));
    }

    private void removeQuietly(String temp) {
        try {
            envd.remove(temp);
        } catch (RuntimeException ignored) {
            // the sandbox is gone or unreachable: the temporary went with it, or stays hidden from listings
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public FileEntry makeFolder(WorkspacePath path) {
        Checked c = check(path, true);
        if (c.last().isPresent()) {
            if (!c.isFolder()) {
                throw new RunnerException.Conflict("cannot make folder " + path + ": something else is there");
            }
            return entry(path, c.last().get());
        }
        try {
            envd.makeDir(c.absolute());
        } catch (RunnerException.Conflict alreadyThere) {
            // made meanwhile: as good
        }
        return entry(path, envd.stat(absolute(path)));
    }

    @Override
    public FileEntry move(WorkspacePath from, WorkspacePath to) {
        if (from.isRoot() || to.isRoot()) {
            throw new RunnerException.InvalidRequest(from.isRoot() ? "from" : "to", "the workspace itself cannot be moved"
                    + " or replaced");
        }
        Checked source = existing(from);
        if (from.contains(to)) {
            throw new RunnerException.InvalidRequest("to", "cannot move " + from + " into itself (" + to + ")");
        }
        Checked target = check(to, true);
        if (target.last().isPresent()) {
            throw new RunnerException.Conflict("cannot move " + from + " to " + to + ": " + to + " already exists");
        }
        if (!target.parentExists()) {
            throw new RunnerException.NotFound("cannot move " + from + " to " + to + ": the folder " + to.parent()
                    + " does not exist");
        }
        envd.move(source.absolute(), absolute(to));
        return entry(to, envd.stat(absolute(to)));
    }

    @Override
    public void delete(WorkspacePath path, boolean recursive) {
        if (path.isRoot()) {
            throw new RunnerException.InvalidRequest("path", "the workspace itself cannot be deleted");
        }
        Checked c = existing(path);
        if (c.isFolder() && !recursive && !c.last().get().isSymlink() && !envd.list(c.absolute()).isEmpty()) {
            throw new RunnerException.Conflict("cannot delete " + path + ": the folder is not empty (delete recursively"
                    + " to remove it with everything in it)");
        }
        envd.remove(absolute(path));
    }

    @Override
    public Subscription watch(WorkspacePath folder, FileWatchListener listener) {
        Checked c = existing(folder);
        if (!c.isFolder()) {
            throw new RunnerException.Conflict("cannot watch " + folder + ": it is not a folder");
        }
        AutoCloseable stream = envd.watch(c.absolute(), new EnvdFiles.WatchEvents() {
            @Override
            public void onEvent(String name, String type) {
                if (name.isEmpty() || name.contains("/") || name.startsWith(TEMP_PREFIX)) {
                    return; // not an entry of this folder, or an upload on its way (its rename is heard)
                }
                FileWatchListener.Change change = switch (type) {
                    case "CREATE" -> FileWatchListener.Change.CREATED;
                    case "WRITE" -> FileWatchListener.Change.WRITTEN;
                    case "REMOVE" -> FileWatchListener.Change.REMOVED;
                    case "RENAME" -> FileWatchListener.Change.RENAMED;
                    case "CHMOD" -> null;
                    default -> FileWatchListener.Change.RESCAN;
                };
                if (change != null) {
                    listener.onChange(change, folder.child(name).relative());
                }
            }

            @Override
            public void onEnded(RunnerException why) {
                listener.onEnded(why);
            }
        });
        return () -> {
            try {
                stream.close();
            } catch (Exception ignored) {
                // cancelling a call does not fail
            }
        };
    }
}
