package dev.runnerdesk.provider.local;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.Asciicast;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.HostProcesses;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interactive shells on a PTY inside the sandbox, through the service, recorded as asciicast. */
class LocalTerminalTest {
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private RunnerService service;
    private Runner runner;
    private Session session;
    private final TerminalScreen screen = new TerminalScreen();
    private Terminal terminal;

    @BeforeEach
    void open() {
        runtime = EmbeddedRuntimes.open(dataDir);
        service = runtime.serviceFor(Principal.localUser());
        Sandboxes.require(service);
        runner = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 600));
        session = service.startSession(runner.runnerId(), Optional.empty());
        terminal = service.openTerminal(runner.runnerId(), session.sessionId(), new TerminalSize(80, 24), screen);
    }

    @AfterEach
    void close() {
        terminal.close();
        runtime.close();
    }

    private void type(String text) {
        terminal.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A session stopped while one of its terminals is still opening (bubblewrap starting the shell) ends that
     * terminal too: no shell outlives its session. The stop lands at moments spread over an open.
     */
    @Test
    void aTerminalStillOpeningWhenItsSessionStopsIsEndedToo() {
        service.stopSession(runner.runnerId(), session.sessionId());
        List<Terminal> opened = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 24; i++) {
            Session s = service.startSession(runner.runnerId(), Optional.empty());
            CompletableFuture<Terminal> opening = CompletableFuture.supplyAsync(() -> service.openTerminal(runner.runnerId(),
                    s.sessionId(), new TerminalSize(80, 24), new TerminalScreen()));
            // a deliberate spread of moments to stop at (2 ms apart, up to 46 ms: an open takes about 40), not a wait
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2L * i));
            service.stopSession(runner.runnerId(), s.sessionId());
            try {
                opened.add(opening.orTimeout(60, TimeUnit.SECONDS).join());
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof RunnerException.Conflict, () -> "refused as a conflict, not " + e.getCause());
                refused++;
            }
        }
        for (Terminal t : opened) {
            Await.until(() -> !t.isAlive(), Duration.ofSeconds(10), "a terminal of a stopped session ended");
        }
        assertEquals(24, opened.size() + refused);
    }

    @Test
    void theShellAnswers() throws InterruptedException {
        type("echo $((6*7))\n");
        screen.await("42");
        type("echo \"$TERM $HOME\"\n");
        screen.await("xterm-256color /workspace");
    }

    @Test
    void resizeReachesTheShell() throws InterruptedException {
        type("stty size\n");
        screen.await("24 80");
        terminal.resize(new TerminalSize(132, 40));
        type("stty size\n");
        screen.await("40 132");
    }

    @Test
    void ctrlCInterruptsAForegroundCommand() throws InterruptedException {
        long started = System.nanoTime();
        // Ctrl+C once the sleep runs (its own command line, seen from the host), not while the shell starts it
        String nap = "sleep 60." + ProcessHandle.current().pid();
        type(nap + "; echo not-$((3*3))\n");
        Await.until(() -> !HostProcesses.withToken(nap).isEmpty(), Duration.ofSeconds(15), () -> nap + " running");
        terminal.write(new byte[] {0x03});
        type("echo after-$((1+1))\n");
        screen.await("after-2");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20), "the sleep did not run out");
        assertFalse(screen.text().contains("not-9"), "Ctrl+C ended the whole command line");
    }

    @Test
    void ctrlAReachesTheShellAsOneByte() throws InterruptedException {
        // once the line runs the terminal is back in cooked mode, so Ctrl+A waits in the line for od, not for readline
        type("echo reading-$((2+2)); od -An -tx1\n");
        screen.await("reading-4");
        terminal.write(new byte[] {0x01, '\n'});
        terminal.write(new byte[] {0x04});
        screen.await("01 0a");
        assertFalse(screen.text().contains("00 01"), "no NUL before it");
    }

    @Test
    void stoppingTheSessionEndsTheShellAndLinksItsRecording() throws Exception {
        type("echo recorded-$((2*21))\n");
        screen.await("recorded-42");
        service.stopSession(runner.runnerId(), session.sessionId());
        assertTrue(screen.exited.await(10, TimeUnit.SECONDS), "the shell ended with the session");
        assertFalse(terminal.isAlive());
        AuditEvent stopped = service.events(EventQuery.ofRunner(runner.runnerId(), 1)).events().get(0);
        assertEquals(EventTypes.SESSION_STOPPED, stopped.eventType());
        @SuppressWarnings("unchecked")
        List<String> recordings = (List<String>) stopped.data().get("recordings");
        assertEquals(1, recordings.size(), stopped.data().toString());
        List<String> cast = Files.readAllLines(dataDir.resolve(recordings.get(0)));
        assertTrue(cast.get(0).contains("\"version\":2") && cast.get(0).contains("\"width\":80"), cast.get(0));
        assertTrue(cast.stream().skip(1).anyMatch(l -> l.contains("\"o\"") && l.contains("recorded-42")), String.join("\n", cast));
        assertFalse(cast.stream().anyMatch(l -> l.contains("\"i\"")), "input is not recorded by default");
        Asciicast replay = Asciicast.parse(service.recording(runner.runnerId(), session.sessionId(), 1));
        assertEquals(80, replay.width());
        assertTrue(replay.frames().stream().anyMatch(f -> f.code().equals("o") && f.data().contains("recorded-42")));
    }

    @Test
    void aTerminalNeedsAnActiveSessionAndAProviderWithOne() {
        service.stopSession(runner.runnerId(), session.sessionId());
        assertThrows(RunnerException.Conflict.class,
                () -> service.openTerminal(runner.runnerId(), session.sessionId(), new TerminalSize(80, 24), screen));
        Runner fake = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 600));
        Session s = service.startSession(fake.runnerId(), Optional.empty());
        RunnerException e = assertThrows(RunnerException.Unavailable.class,
                () -> service.openTerminal(fake.runnerId(), s.sessionId(), new TerminalSize(80, 24), screen));
        assertTrue(e.getMessage().contains("exec"), e.getMessage());
    }
}
