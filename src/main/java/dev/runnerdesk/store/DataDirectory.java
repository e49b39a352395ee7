package dev.runnerdesk.store;

import dev.runnerdesk.core.RunnerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where RunnerDesk keeps its data on each OS ({@code RUNNERDESK_HOME} overrides), and what is in it. The folder and
 * everything RunnerDesk puts there are private to the user: terminal recordings, screenshots and the database hold
 * what agents printed and people typed.
 */
public final class DataDirectory {
    public static final String RECORDINGS = "recordings";
    public static final String SCREENSHOTS = "screenshots";
    /** The local provider's workspaces. */
    public static final String SANDBOXES = "sandboxes";
    /** pty4j's native library. */
    public static final String TMP = "tmp";

    /**
     * What RunnerDesk (this version or an earlier one) creates at the top of the data directory, and so what the
     * start-up check may tighten: a data directory given with {@code --data-dir} may be a folder the user shares
     * with other things, whose permissions are not ours to change.
     */
    static final List<String> ENTRIES = List.of(Database.FILE_NAME, Database.FILE_NAME + "-wal", Database.FILE_NAME + "-shm",
            Database.FILE_NAME + "-journal", RECORDINGS, SCREENSHOTS, SANDBOXES, TMP, AuditKeys.FOLDER, AuditKeys.KEY_FOLDER);
    private static final List<String> FOLDERS = List.of(RECORDINGS, SCREENSHOTS, SANDBOXES, TMP);

    private DataDirectory() {
    }

    /**
     * Creates the data directory and its folders as 0700, or, where they exist, takes away group and other
     * permissions from the directory and its entries (a directory made by an earlier version was 0755 with a
     * 0644 database). Files created later are private from the start ({@link PrivateFiles}).
     */
    public static void makePrivate(Path dataDir) {
        try {
            PrivateFiles.createDirectories(dataDir);
            PrivateFiles.tighten(dataDir);
            for (String name : ENTRIES) {
                Path entry = dataDir.resolve(name);
                if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                    PrivateFiles.tighten(entry);
                }
            }
            for (String folder : FOLDERS) {
                PrivateFiles.createDirectories(dataDir.resolve(folder));
            }
            for (String folder : List.of(AuditKeys.FOLDER, AuditKeys.KEY_FOLDER)) {
                // the audit folders hold only what RunnerDesk wrote there (the anchor, checkpoints, the key file)
                Path dir = dataDir.resolve(folder);
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    try (var entries = Files.list(dir)) {
                        for (Path entry : entries.toList()) {
                            PrivateFiles.tighten(entry);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new RunnerException.Unavailable("cannot prepare the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public static Path resolve() {
        return resolve(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    static Path resolve(Map<String, String> env, String osName, Path home) {
        String override = env.get("RUNNERDESK_HOME");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            return (appData != null && !appData.isBlank() ? Path.of(appData) : home.resolve("AppData/Roaming"))
                    .resolve("RunnerDesk");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library/Application Support/RunnerDesk");
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".local/share");
        return base.resolve("runnerdesk");
    }
}
