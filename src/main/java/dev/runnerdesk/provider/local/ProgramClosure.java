package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.RunnerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sandbox that may run only some programs needs of the host to run them: each program's shared
 * libraries and the dynamic loader, as the host's {@code ldd} resolves them, and every symbolic link met on
 * the way to each of those files. Nothing else of /usr enters such a sandbox, so the loader (which must be
 * executable to start any program) has no other code to load: what it could map is the allowed programs
 * and their libraries; the writable places are mounted noexec.
 */
final class ProgramClosure {
    private static final Pattern LIBRARY = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x[0-9a-fA-F]+\\)");
    private static final int MAX_LINK_HOPS = 16;
    /** Per program (its real path and modification time): its libraries as ldd names them. */
    private static final Map<String, List<Path>> LIBRARIES = new ConcurrentHashMap<>();

    /** A file to bind at the same path, and the links to create so that the paths ldd printed resolve inside. */
    record View(Set<Path> files, Map<Path, String> links) {
    }

    private ProgramClosure() {
    }

    /** The libraries and loader of {@code programs} (real paths), with the links leading to them. */
    static View of(Collection<Path> programs) {
        Set<Path> files = new LinkedHashSet<>();
        Map<Path, String> links = new LinkedHashMap<>();
        for (Path program : programs) {
            for (Path library : libraries(program)) {
                follow(library, files, links);
            }
        }
        return new View(files, links);
    }

    private static List<Path> libraries(Path program) {
        String key;
        try {
            key = program + "@" + Files.getLastModifiedTime(program).toMillis();
        } catch (IOException e) {
            throw new RunnerException.Unavailable("cannot read " + program + ": " + e.getMessage());
        }
        return LIBRARIES.computeIfAbsent(key, k -> ldd(program));
    }

    private static List<Path> ldd(Path program) {
        Path ldd = Bubblewrap.findProgram("ldd").orElseThrow(() -> new RunnerException.Unavailable(
                "ldd is not installed, so the libraries of a restricted profile's programs cannot be found;"
                        + " install it (libc-bin) — the profile is refused rather than run with all of /usr"));
        try {
            ProcessBuilder builder = new ProcessBuilder(ldd.toString(), program.toString()).redirectErrorStream(true);
            builder.environment().clear();
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RunnerException.Unavailable("ldd did not answer for " + program);
            }
            List<Path> found = new ArrayList<>();
            Matcher m = LIBRARY.matcher(out);
            while (m.find()) {
                found.add(Path.of(m.group(1)));
            }
            // exit 1 with "not a dynamic executable": a static program needs nothing
            if (p.exitValue() != 0 && !out.contains("not a dynamic executable")) {
                throw new RunnerException.Unavailable("ldd could not list the libraries of " + program + ": " + out.strip());
            }
            return List.copyOf(found);
        } catch (IOException e) {
            throw new RunnerException.Unavailable("cannot run ldd: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException.Unavailable("interrupted while listing libraries");
        }
    }

    /**
     * Walks {@code path} a component at a time as the kernel would, noting each symbolic link met (to be
     * created inside) and finally the real file (to be bound). Top-level links such as /lib64 are noted too;
     * the caller creates the ones it already makes only once.
     */
    static void follow(Path path, Set<Path> files, Map<Path, String> links) {
        Path current = path.toAbsolutePath().normalize();
        for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
            Path resolved = Path.of("/");
            Path next = null;
            for (int i = 0; i < current.getNameCount(); i++) {
                Path step = resolved.resolve(current.getName(i));
                if (Files.isSymbolicLink(step)) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(step).toString();
                    } catch (IOException e) {
                        return; // unreadable: the program will say what it misses
                    }
                    links.putIfAbsent(step, target);
                    Path rest = current.getNameCount() > i + 1 ? current.subpath(i + 1, current.getNameCount()) : null;
                    Path base = step.getParent().resolve(target).normalize();
                    next = rest == null ? base : base.resolve(rest);
                    break;
                }
                resolved = step;
            }
            if (next == null) {
                if (Files.isRegularFile(current)) {
                    files.add(current);
                }
                return;
            }
            current = next;
        }
    }
}
