package dev.runnerdesk.embedded;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.store.DataDirectory;
import dev.runnerdesk.store.Database;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The data directory is the user's alone: created so, kept so across restarts, and made so when found open. */
@Timeout(120)
class PrivateDataDirectoryTest {
    @TempDir
    Path temp;

    @BeforeEach
    void posixOnly() {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static EmbeddedRuntime fakeOnly(Path dataDir) {
        return new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new FakeProvider()));
    }

    private static void createRunner(EmbeddedRuntime runtime) {
        runtime.serviceFor(Principal.localUser()).create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
    }

    /**
     * Every folder 0700 and every file 0600. What others lay out inside two of those folders keeps its own modes
     * behind them: the local provider's sandboxes (a workspace holds what the agent made, with the modes the agent
     * gave it) and pty4j's native library in {@code tmp}.
     */
    private static void assertEverythingPrivate(Path dataDir) throws IOException {
        List<Path> theirs = List.of(dataDir.resolve(DataDirectory.SANDBOXES), dataDir.resolve(DataDirectory.TMP));
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.filter(p -> theirs.stream().noneMatch(t -> p.startsWith(t) && !p.equals(t))).toList()) {
                String expected = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
                assertEquals(expected, mode(p), dataDir.relativize(p).toString());
            }
        }
    }

    @Test
    void aFreshDataDirAndEverythingInItStayPrivateAcrossARestart() throws Exception {
        Path dataDir = temp.resolve("home/runnerdesk");
        try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir)) {
            RunnerService service = runtime.serviceFor(Principal.localUser());
            Sandboxes.require(service);
            Runner runner = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 600));
            Session session = service.startSession(runner.runnerId(), Optional.empty());
            TerminalScreen screen = new TerminalScreen();
            try (Terminal terminal = service.openTerminal(runner.runnerId(), session.sessionId(), new TerminalSize(80, 24), screen)) {
                terminal.write("echo recorded-$((2*21))\r".getBytes(StandardCharsets.UTF_8));
                screen.await("recorded-42");
                service.stopSession(runner.runnerId(), session.sessionId());
            }
            assertTrue(Files.exists(dataDir.resolve(Database.FILE_NAME + "-wal")), "the WAL is checked while it exists");
            assertEverythingPrivate(dataDir);
        }
        try (EmbeddedRuntime restarted = EmbeddedRuntimes.open(dataDir)) {
            createRunner(restarted); // a new -wal and -shm
            assertTrue(Files.exists(dataDir.resolve(Database.FILE_NAME + "-shm")));
            assertEverythingPrivate(dataDir);
            assertEquals("rwx------", mode(dataDir));
        }
    }

    @Test
    void anExistingDataDirLeftOpenByAnEarlierVersionIsTightenedAtStart() throws Exception {
        Path dataDir = temp.resolve("old");
        try (EmbeddedRuntime runtime = fakeOnly(dataDir)) {
            createRunner(runtime);
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dataDir.resolve(Database.FILE_NAME), PosixFilePermissions.fromString("rw-r--r--"));
        Path recordings = dataDir.resolve(DataDirectory.RECORDINGS);
        Files.setPosixFilePermissions(recordings, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path notOurs = Files.writeString(dataDir.resolve("notes.txt"), "someone else's file");
        Files.setPosixFilePermissions(notOurs, PosixFilePermissions.fromString("rw-r--r--"));

        try (EmbeddedRuntime runtime = fakeOnly(dataDir)) {
            createRunner(runtime);
            assertEquals("rwx------", mode(dataDir));
            assertEquals("rw-------", mode(dataDir.resolve(Database.FILE_NAME)));
            assertEquals("rw-------", mode(dataDir.resolve(Database.FILE_NAME + "-wal")), "SQLite gives it the database's mode");
            assertEquals("rw-------", mode(dataDir.resolve(Database.FILE_NAME + "-shm")));
            assertEquals("rwx------", mode(recordings));
            assertEquals("rw-r--r--", mode(notOurs), "what RunnerDesk did not make is left as it is");
        }
    }
}
