package dev.runnerdesk.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A path inside a runner's workspace, checked where it comes in (the service, the gateway, the CLI): "/"-separated
 * names relative to the workspace root; a leading "/" means the root too, "." names are dropped, and ".." is refused
 * — a path can never name anything outside the workspace by its words. (Symlinks that lead out are the provider's to
 * refuse, as it opens the path.) Names are at most 255 bytes of UTF-8, the whole at most 4,096, with no NUL.
 */
public final class WorkspacePath {
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_PATH_BYTES = 4096;
    public static final WorkspacePath ROOT = new WorkspacePath(List.of());

    private final List<String> names;

    private WorkspacePath(List<String> names) {
        this.names = List.copyOf(names);
    }

    /**
     * {@code raw} checked and normalised; {@link RunnerException.InvalidRequest} naming {@code field} and the problem
     * when it is not a workspace path.
     */
    public static WorkspacePath parse(String field, String raw) {
        if (raw == null) {
            throw new RunnerException.InvalidRequest(field, field + " is required");
        }
        if (raw.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new RunnerException.InvalidRequest(field, field + " is longer than " + MAX_PATH_BYTES + " bytes");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new RunnerException.InvalidRequest(field, field + " contains a NUL character");
        }
        List<String> names = new ArrayList<>();
        for (String name : raw.split("/", -1)) {
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                throw new RunnerException.InvalidRequest(field, field + " may not contain \"..\": paths stay inside the"
                        + " workspace (got " + shown(raw) + ")");
            }
            if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new RunnerException.InvalidRequest(field, field + " has a name longer than " + MAX_NAME_BYTES + " bytes");
            }
            names.add(name);
        }
        return new WorkspacePath(names);
    }

    /** The names from the root, in order; empty for the root. */
    public List<String> names() {
        return names;
    }

    public boolean isRoot() {
        return names.isEmpty();
    }

    /** The last name ("" for the root). */
    public String name() {
        return isRoot() ? "" : names.get(names.size() - 1);
    }

    /** The folder that holds it; the root's parent is the root. */
    public WorkspacePath parent() {
        return isRoot() ? this : new WorkspacePath(names.subList(0, names.size() - 1));
    }

    /** {@code name} inside this folder; a single name, checked as {@link #parse} checks one. */
    public WorkspacePath child(String name) {
        WorkspacePath one = parse("name", name);
        if (one.names.size() != 1) {
            throw new RunnerException.InvalidRequest("name", "a name may not contain \"/\" or be empty");
        }
        List<String> more = new ArrayList<>(names);
        more.add(one.names.get(0));
        return new WorkspacePath(more);
    }

    /** Whether {@code other} is this path or inside it. */
    public boolean contains(WorkspacePath other) {
        return other.names.size() >= names.size() && other.names.subList(0, names.size()).equals(names);
    }

    /** "src/main.py"; "" for the root. */
    public String relative() {
        return String.join("/", names);
    }

    /** The path in the sandbox, under {@code root} (e.g. "/workspace"). */
    public String under(String root) {
        return isRoot() ? root : (root.endsWith("/") ? root : root + "/") + relative();
    }

    private static String shown(String raw) {
        return raw.length() > 80 ? raw.substring(0, 80) + "…" : raw;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkspacePath p && p.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return "/" + relative();
    }
}
