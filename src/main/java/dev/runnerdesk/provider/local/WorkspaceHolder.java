package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.RunnerException;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A runner's workspace, held to its disk limit: a tmpfs of the profile's {@code diskMib} (at most half this
 * computer's memory and swap, {@link #sizeMib}), mounted over
 * {@code sandboxes/<runner>/workspace} in a user and mount namespace of its own that a small process, the
 * holder, keeps alive. Every command and terminal of the runner is started inside that namespace
 * ({@link SandboxLauncher}), so they all see the same files, and a write past the limit fails inside with
 * ENOSPC ("No space left on device") — for one big file as for many small ones (the tmpfs also has one inode
 * per 16 KiB, ext4's default). Without root there are no quotas, loop devices or disk images to mount: tmpfs
 * is the one size-limited file system a user namespace may mount.
 * <p>The holder runs in a session of its own, so it outlives RunnerDesk (a crash, a restart, each short run of
 * the CLI); its pid, start time and the boot it belongs to are kept in {@code holder} next to the workspace,
 * to find it again. The files live in memory (and swap), never on this computer's disk: they are lost when
 * the computer restarts or the holder is killed, and the runner is then reported gone ({@link #lost}), never
 * given an empty workspace in their place. A holder whose runner's folder is deleted ends by itself (within 30 s).
 */
final class WorkspaceHolder {
    private static final System.Logger LOG = System.getLogger(WorkspaceHolder.class.getName());
    private static final String RECORD = "holder";
    private static final String LOCK = "holder.lock";
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** How long a holder may take to mount its workspace (and copy in an older version's files). */
    private static final long START_SECONDS = 60;
    /**
     * Mounts the workspace's tmpfs (with the files an earlier version kept on disk, if any) then waits, doing
     * nothing, while the runner's folder exists. Arguments are paths and sizes RunnerDesk chose, never the agent's.
     */
    private static final String SCRIPT = String.join("\n",
            "set -eu",
            "ws=\"$1\"; size=\"$2\"; inodes=\"$3\"; stage=\"$4\"; root=\"$5\"; earlier=\"\"",
            "if [ -n \"$(ls -A \"$ws\")\" ]; then mount --bind \"$ws\" \"$stage\"; earlier=1; fi",
            "mount -t tmpfs -o \"size=$size,nr_inodes=$inodes,mode=0755,nosuid,nodev\" workspace \"$ws\"",
            "if [ -n \"$earlier\" ]; then",
            "  cp -a \"$stage/.\" \"$ws/\" || { echo \"the files this runner has on disk from an earlier version"
                    + " ($ws) do not fit in its limit of $size\"; exit 1; }",
            "  umount \"$stage\"",
            "fi",
            "echo \"ready $$${earlier:+ earlier}\"",
            "exec </dev/null >/dev/null 2>&1",
            "while [ -d \"$root\" ]; do sleep 30; done",
            "");

    private final Path setsid;
    private final Path unshare;
    private final Path nsenter;
    private final Path sh;
    /** One start or stop at a time per runner in this process; {@value #LOCK} keeps starts apart between processes (app and CLI). */
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private WorkspaceHolder(Path setsid, Path unshare, Path nsenter, Path sh) {
        this.setsid = setsid;
        this.unshare = unshare;
        this.nsenter = nsenter;
        this.sh = sh;
    }

    /** The holders' starter, or why there is none (util-linux missing). */
    static WorkspaceHolder find() {
        List<Path> found = new ArrayList<>();
        for (String program : List.of("setsid", "unshare", "nsenter", "sh", "mount", "umount")) {
            found.add(Bubblewrap.findProgram(program).orElseThrow(() -> new RunnerException.Unavailable(program
                    + " is not installed: the local sandbox needs it (util-linux) to hold each runner's workspace to its"
                    + " size; install util-linux and restart RunnerDesk")));
        }
        return new WorkspaceHolder(found.get(0), found.get(1), found.get(2), found.get(3));
    }

    /**
     * The runner's workspace as this computer sees it, through its holder's root ({@code /proc/PID/root/…}):
     * what a file browser or a test reads; empty when the runner has no live holder. The agent controls what is in
     * it: an absolute symbolic link there resolves against <em>this computer's</em> root, so nothing in it may be
     * followed (NOFOLLOW_LINKS, and no path through a component the agent could swap).
     */
    static Optional<Path> liveWorkspace(Bubblewrap.SandboxDirs dirs) {
        return Held.read(dirs.root()).filter(Held::alive).map(h -> Path.of("/proc", Long.toString(h.pid()), "root")
                .resolve(dirs.workspace().toAbsolutePath().toString().substring(1)));
    }

    /** What is kept of a running holder: which process, from which boot, holding how much. */
    record Held(long pid, long startTicks, String bootId, int sizeMib, long inodes) {
        static Optional<Held> read(Path root) {
            try {
                String[] f = Files.readString(root.resolve(RECORD)).trim().split(" ");
                return Optional.of(new Held(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], Integer.parseInt(f[3]),
                        Long.parseLong(f[4])));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        void write(Path root) throws IOException {
            Path temp = root.resolve(RECORD + ".new");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PRIVATE_FILE);
            Files.writeString(temp, pid + " " + startTicks + " " + bootId + " " + sizeMib + " " + inodes + "\n");
            Files.move(temp, root.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        /** Whether that very process still runs (not another that got its pid, in this boot or after a restart). */
        boolean alive() {
            Optional<String[]> stat = stat(pid);
            return stat.isPresent() && !stat.get()[0].equals("Z") && stat.get()[19].equals(Long.toString(startTicks))
                    && bootId.equals(bootId());
        }
    }

    /** Inodes for a workspace of {@code mib}: one per 16 KiB (ext4's default), at least 4096. */
    static long inodes(int mib) {
        return Math.max(4096, mib * 64L);
    }

    /**
     * The workspace's size for a disk limit of {@code diskMib}: that, but at most half of this computer's memory and
     * swap (tmpfs's own default), as a workspace larger than that could only fill the memory, not give ENOSPC.
     */
    static int sizeMib(int diskMib) {
        long memoryKib = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:") || line.startsWith("SwapTotal:")) {
                    memoryKib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return diskMib;
        }
        return memoryKib == 0 ? diskMib : (int) Math.max(1, Math.min(diskMib, memoryKib / 1024 / 2));
    }

    /**
     * The pid whose namespaces hold the runner's workspace, after starting the holder if the runner has none yet,
     * and resizing its workspace if the limit changed. Throws {@link RunnerException.Conflict} when the runner had a
     * holder and it is gone: its files went with it.
     */
    long ensure(Bubblewrap.SandboxDirs dirs, ResourceLimits limits) {
        synchronized (LOCKS.computeIfAbsent(dirs.root(), k -> new Object())) {
            try (FileChannel channel = FileChannel.open(dirs.root().resolve(LOCK), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), PRIVATE_FILE); FileLock ignored = channel.lock()) {
                Optional<Held> held = Held.read(dirs.root());
                if (held.isEmpty()) {
                    return start(dirs, limits).pid();
                }
                Held h = held.get();
                if (!h.alive()) {
                    throw new RunnerException.Conflict("the workspace of " + dirs.root().getFileName() + " is lost: "
                            + lostReason() + "; terminate this runner and create a new one");
                }
                if (h.sizeMib() != sizeMib(limits.diskMib())) {
                    resize(dirs, h, sizeMib(limits.diskMib()));
                }
                return h.pid();
            } catch (IOException e) {
                throw new RunnerException.Unavailable("cannot hold the workspace of " + dirs.root().getFileName() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private Held start(Bubblewrap.SandboxDirs dirs, ResourceLimits limits) throws IOException {
        int size = sizeMib(limits.diskMib());
        ProcessBuilder builder = new ProcessBuilder(setsid.toString(), unshare.toString(), "--user", "--map-root-user",
                "--mount", "--propagation", "slave", "--", sh.toString(), "-c", SCRIPT, "runnerdesk-workspace",
                dirs.workspace().toString(), size + "m", Long.toString(inodes(size)),
                dirs.tmp().toString(), dirs.root().toString())
                .directory(new File("/")) // so as not to keep RunnerDesk's working folder busy
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        // nothing of RunnerDesk's environment; the commands it holds the workspace for never see this one either
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> untilReady(out), runnable -> {
            Thread t = new Thread(runnable, "runnerdesk-workspace-" + dirs.root().getFileName());
            t.setDaemon(true);
            t.start();
        });
        List<String> said;
        try {
            said = lines.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RunnerException.Unavailable("interrupted while preparing the workspace");
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new RunnerException.Unavailable("the workspace of " + dirs.root().getFileName() + " could not be"
                    + " prepared in " + START_SECONDS + " s");
        } finally {
            out.close();
        }
        String last = said.isEmpty() ? "" : said.get(said.size() - 1);
        if (!last.startsWith("ready ")) {
            process.destroyForcibly();
            throw new RunnerException.Unavailable("cannot hold the workspace of " + dirs.root().getFileName() + " to its size: "
                    + (said.isEmpty() ? "exit " + waitFor(process) : String.join("; ", said)));
        }
        String[] ready = last.split(" ");
        long pid = Long.parseLong(ready[1]);
        Held held = new Held(pid, Long.parseLong(stat(pid).map(s -> s[19]).orElse("-1")), bootId(), size, inodes(size));
        try {
            held.write(dirs.root());
        } catch (IOException e) {
            process.destroyForcibly(); // a holder nobody can find again would hold its memory for nothing
            throw e;
        }
        if (ready.length > 2) {
            // the files an earlier version kept on disk are in the workspace now; none stay on this computer's disk
            clear(dirs.workspace());
        }
        return held;
    }

    private static List<String> untilReady(BufferedReader out) {
        List<String> said = new ArrayList<>();
        try {
            String line;
            while ((line = out.readLine()) != null) {
                said.add(line);
                if (line.startsWith("ready ")) {
                    break;
                }
            }
        } catch (IOException e) {
            // the holder ended: what it said is all there is
        }
        return said;
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The profile's disk limit changed: the workspace takes the new size (it cannot shrink below what it holds).
     * Type and source are named so that mount(8) does not add the options it reads back from the mount table
     * (uid=, gid= in the host's ids, which this namespace cannot map).
     */
    private void resize(Bubblewrap.SandboxDirs dirs, Held h, int size) throws IOException {
        long inodes = inodes(size);
        ProcessBuilder builder = new ProcessBuilder(nsenter.toString(), "--target", Long.toString(h.pid()), "--user",
                "--mount", "--preserve-credentials", "--", "mount", "-t", "tmpfs", "-o",
                "remount,size=" + size + "m,nr_inodes=" + inodes + ",nosuid,nodev", "workspace",
                dirs.workspace().toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        Process p = builder.start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (waitFor(p) == 0) {
            new Held(h.pid(), h.startTicks(), h.bootId(), size, inodes).write(dirs.root());
        } else {
            LOG.log(System.Logger.Level.WARNING, "the workspace of " + dirs.root().getFileName() + " keeps its "
                    + h.sizeMib() + " MiB (it holds more than " + size + " MiB?): " + said);
        }
    }

    /** Why a runner's sandbox is gone, if it is: its folder was deleted, or its workspace's holder ended. */
    static Optional<String> lost(Bubblewrap.SandboxDirs dirs) {
        if (!Files.isDirectory(dirs.root())) {
            return Optional.of("its sandbox folder " + dirs.root() + " is gone");
        }
        Optional<Held> held = Held.read(dirs.root());
        return held.isPresent() && !held.get().alive() ? Optional.of("its workspace is lost: " + lostReason()) : Optional.empty();
    }

    private static String lostReason() {
        return "a local runner's workspace is kept in memory, and the process holding it has ended (the computer"
                + " restarted, or it was killed)";
    }

    /** Ends the runner's holder, if it runs, and waits until it has: its workspace is freed once no command uses it. */
    static void stop(Bubblewrap.SandboxDirs dirs) {
        synchronized (LOCKS.computeIfAbsent(dirs.root(), k -> new Object())) {
            Optional<Held> held = Held.read(dirs.root());
            if (held.isPresent() && held.get().alive()) {
                long pid = held.get().pid();
                Optional<String[]> stat = stat(pid);
                // the holder leads its own process group (setsid): its waiting sleep goes with it
                if (stat.isPresent() && stat.get()[2].equals(Long.toString(pid))) {
                    LibC.get().kill((int) -pid, LibC.SIGKILL);
                }
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                awaitEnd(held.get());
            }
            LOCKS.remove(dirs.root());
        }
    }

    /** Waits (10 s at most) until the holder has ended; a zombie has, as far as its namespaces go. */
    private static void awaitEnd(Held held) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.alive()) {
            if (System.nanoTime() > deadline) {
                LOG.log(System.Logger.Level.WARNING, "the workspace holder " + held.pid() + " did not end in time");
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Removes what is in a folder (not the folder), following no link. */
    private static void clear(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(entry);
                } else {
                    Files.delete(entry);
                }
            }
        }
    }

    /** The fields of /proc/PID/stat after the command's name: [0] is the state (field 3), [19] the start time (field 22). */
    private static Optional<String[]> stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return fields.length > 19 ? Optional.of(fields) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Deletes a folder and what is in it, links as links (never followed), read-only folders too. */
    static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                dir.toFile().setWritable(true, true); // a read-only folder made inside must not keep its files
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
