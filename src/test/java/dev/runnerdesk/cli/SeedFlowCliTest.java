package dev.runnerdesk.cli;

import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's `curate runners` flow through our CLI, on a fresh data dir. */
class SeedFlowCliTest {
    @TempDir
    Path dataDir;

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add(all.get(0).equals("runners") ? 2 : 0, "--data-dir=" + dataDir); // runners <sub> --data-dir=… <args>
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Map<String, Object> json(Run run) throws Exception {
        assertEquals(0, run.code(), run.err());
        return Json.readObject(run.out());
    }

    @Test
    void createStartExecEventsStopTerminate() throws Exception {
        Map<String, Object> runner = json(run("runners", "create", "--provider", "fake", "--profile", "locked", "--json"));
        String runnerId = (String) runner.get("runner_id");
        assertEquals("ready", runner.get("state"));
        assertEquals("fake", runner.get("provider_type"));
        assertEquals("locked", runner.get("tool_profile"));
        assertEquals(3600, runner.get("ttl_seconds"));

        Run started = run("runners", "start", runnerId);
        assertEquals(0, started.code(), started.err());
        String sessionId = started.out().split("\\s+")[1];
        assertTrue(sessionId.startsWith("sess_"), started.out());

        Run exec = run("runners", "exec", runnerId, sessionId, "echo", "hello");
        assertEquals(0, exec.code(), exec.err());
        assertEquals("fake output\n", exec.out());

        Run execDashes = run("runners", "exec", "--timeout", "10", runnerId, sessionId, "--", "echo", "-n", "--json");
        assertEquals("fake output\n", execDashes.out(), "options after -- belong to the command");

        Run events = run("runners", "events", runnerId);
        assertEquals(0, events.code(), events.err());
        for (String type : List.of("runner.created", "session.started", "command.executed")) {
            assertTrue(events.out().contains(type), () -> type + " missing in\n" + events.out());
        }
        assertTrue(events.out().contains("[\"echo\",\"hello\"]"), events.out());

        Run stopped = run("runners", "stop", runnerId, sessionId);
        assertEquals(0, stopped.code(), stopped.err());
        Run terminated = run("runners", "terminate", runnerId, "--yes");
        assertEquals(0, terminated.code(), terminated.err());
        Map<String, Object> after = json(run("runners", "get", runnerId, "--json"));
        assertEquals("terminated", after.get("state"));

        Run list = run("runners", "list");
        assertTrue(list.out().contains(runnerId) && list.out().contains("terminated"), list.out());
    }

    @Test
    void errorsGoToStderrWithANonZeroStatus() {
        Run badTtl = run("runners", "create", "--ttl", "5");
        assertEquals(1, badTtl.code());
        assertEquals("error: ttl_seconds must be between 60 and 86,400 seconds, got 5\n", badTtl.err());
        Run badProvider = run("runners", "create", "--provider", "docker");
        assertEquals(1, badProvider.code());
        assertTrue(badProvider.err().contains("provider_type must be one of fake, local, e2b, claude_computer_use"), badProvider.err());
        Run unknown = run("runners", "get", "runner_000000000000");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("runner runner_000000000000 not found"), unknown.err());
        Run noConfirm = run("runners", "terminate", "runner_000000000000");
        assertEquals(2, noConfirm.code());
        assertTrue(noConfirm.err().contains("--yes"), noConfirm.err());
    }

    @Test
    void aDeniedCommandFailsWithThePolicyReason() throws Exception {
        String runnerId = (String) json(run("runners", "create", "--json")).get("runner_id");
        String sessionId = (String) json(run("runners", "start", runnerId, "--json")).get("session_id");
        Run denied = run("runners", "exec", runnerId, sessionId, "curl", "https://example.com");
        assertEquals(1, denied.code());
        assertTrue(denied.err().contains("the locked profile does not allow the command \"curl\""), denied.err());
    }

    @Test
    void streamFollowsEventsWrittenByAnotherCommand() throws Exception {
        String runnerId = (String) json(run("runners", "create", "--json")).get("runner_id");
        // from seq 0: the runner's two events, then the other command's session.started, which the stream gets
        // whether it was written before or after the stream subscribed: no guess at which comes first
        StringWriter streamed = new StringWriter();
        CompletableFuture<Integer> stream = CompletableFuture.supplyAsync(() -> Main.execute(new String[] {"runners", "stream",
                "--data-dir=" + dataDir, runnerId, "--since", "0", "--count", "3"}, new PrintWriter(streamed), new PrintWriter(new StringWriter())));
        Await.until(() -> streamed.toString().contains("Following " + runnerId), Duration.ofSeconds(30), "the stream to start");
        Run started = run("runners", "start", runnerId);
        assertEquals(0, started.code(), started.err());
        assertEquals(0, stream.get(30, TimeUnit.SECONDS));
        assertTrue(streamed.toString().contains("session.started"), streamed.toString());
    }

    @Test
    void versionComesFromThePom() {
        Run version = run("--version");
        assertTrue(version.out().matches("RunnerDesk \\d+\\.\\d+\\.\\d+.*\\n"), version.out());
    }
}
