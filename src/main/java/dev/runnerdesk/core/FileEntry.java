package dev.runnerdesk.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a runner's workspace as a listing shows it. {@code path} is relative to the workspace root
 * ({@link WorkspacePath#relative()}: "src/main.py", "" for the root itself); {@code mode} the Unix permission bits
 * (e.g. 0644; 0 where the provider does not say); {@code size} in bytes (0 for folders); {@code linkTarget} what a
 * symlink points at, as stored (never followed).
 */
public record FileEntry(String path, String name, Kind kind, long size, int mode, Instant modified,
                        Optional<String> linkTarget) {
    /** What an entry is; the wire names are those of the gateway API. */
    public enum Kind {
        FILE("file"), FOLDER("folder"), SYMLINK("symlink"), OTHER("other");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Kind fromWire(String value) {
            return WireNames.parse(values(), Kind::wireName, "kind", value, true);
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    public FileEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(linkTarget, "linkTarget");
        if (size < 0) {
            throw new IllegalArgumentException("size must be 0 or more, got " + size);
        }
    }

    public boolean isFolder() {
        return kind == Kind.FOLDER;
    }
}
