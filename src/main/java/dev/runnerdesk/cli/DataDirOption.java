package dev.runnerdesk.cli;

import dev.runnerdesk.store.DataDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --data-dir}: where the embedded runtime keeps its data (default: the OS data dir, or RUNNERDESK_HOME). */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory of the embedded runtime (default: $RUNNERDESK_HOME, else the OS data directory).")
    Path dataDir;

    Path resolve() {
        return dataDir != null ? dataDir.toAbsolutePath() : DataDirectory.resolve();
    }
}
