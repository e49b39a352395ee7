package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.RunnerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seccomp filters this machine's sandboxes get, one per kind of profile, each written (0600, in the private
 * sandboxes folder) the first time a sandbox needs it, where the launcher opens it for bubblewrap.
 */
final class SeccompFiles {
    /** Which filter a profile needs: restricted to its programs or not, on this computer's network or not. */
    private record Kind(boolean restricted, boolean hostNetwork) {
        static Kind of(ProfilePolicy policy) {
            return new Kind(!policy.allowsEveryCommand(), policy.networkMode() == NetworkMode.FULL);
        }
    }

    private final Path folder;
    private final Map<Kind, byte[]> programs;
    private final Map<Kind, Path> files = new ConcurrentHashMap<>();

    private SeccompFiles(Path folder, Map<Kind, byte[]> programs) {
        this.folder = folder;
        this.programs = programs;
    }

    /** The filters for this machine; without them the provider is unavailable rather than weaker. */
    static SeccompFiles forThisMachine(Path folder) {
        Map<Kind, byte[]> programs = new HashMap<>();
        for (Kind kind : List.of(new Kind(true, true), new Kind(true, false), new Kind(false, true), new Kind(false, false))) {
            SeccompFilter.Result filter = SeccompFilter.forThisMachine(kind.restricted(), kind.hostNetwork());
            programs.put(kind, filter.program().orElseThrow(() -> new RunnerException.Unavailable(
                    "no seccomp filter for this machine: " + filter.reasonIfEmpty())));
        }
        return new SeccompFiles(folder, Map.copyOf(programs));
    }

    /** The file of the filter {@code policy}'s sandboxes get. */
    Path fileFor(ProfilePolicy policy) {
        return files.computeIfAbsent(Kind.of(policy), kind -> {
            try {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path file = folder.resolve("seccomp" + (kind.restricted() ? "-restricted" : "") + (kind.hostNetwork() ? "-hostnet" : "")
                        + ".bpf");
                Path partial = Files.createTempFile(folder, "seccomp", ".tmp"); // 0600
                Files.write(partial, programs.get(kind));
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return file;
            } catch (IOException e) {
                throw new RunnerException.Unavailable("cannot write the sandbox's seccomp filter: " + e.getMessage(), e);
            }
        });
    }
}
