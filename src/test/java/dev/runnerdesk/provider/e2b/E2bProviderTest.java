package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.TerminalScreen;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the e2b provider sends E2B and how it reads the answers, faults included, against the protocol stub. */
class E2bProviderTest {
    @TempDir
    Path dir;
    private E2bStub stub;
    private final AtomicReference<Optional<String>> key = new AtomicReference<>(Optional.of(E2bStub.KEY));
    private EmbeddedRuntime runtime;
    private RunnerService service;

    @BeforeEach
    void open() throws IOException {
        stub = new E2bStub(Files.createDirectories(dir.resolve("e2b")));
        runtime = runtime();
        service = runtime.serviceFor(Principal.localUser());
    }

    private EmbeddedRuntime runtime() throws IOException {
        return new EmbeddedRuntime(Files.createDirectories(dir.resolve("data")), Clock.systemUTC(),
                List.of(new FakeProvider(), new E2bProvider(stub::config, key::get)));
    }

    @AfterEach
    void close() {
        runtime.close();
        stub.close();
    }

    private Runner create(ToolProfile profile) {
        return service.create(new CreateRunnerRequest(ProviderType.E2B, profile, 600));
    }

    private E2bStub.Received last(String pathPrefix) {
        List<E2bStub.Received> matching = stub.received.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
        assertFalse(matching.isEmpty(), "no request to " + pathPrefix);
        return matching.get(matching.size() - 1);
    }

    @Test
    void createSendsTheSpecsFieldsAndTheKey() throws IOException {
        Runner r = create(ToolProfile.LOCKED);
        E2bStub.Received created = last("/sandboxes");
        assertEquals(E2bStub.KEY, created.headers().get("x-api-key"));
        JsonNode body = Json.MAPPER.readTree(created.body());
        assertEquals("base", body.get("templateID").asText());
        assertEquals(600, body.get("timeout").asInt(), "timeout = the runner's TTL");
        assertTrue(body.get("secure").asBoolean());
        assertFalse(body.get("allow_internet_access").asBoolean(), "locked has no internet");
        assertEquals(r.runnerId(), body.get("metadata").get("runner_id").asText());
        assertFalse(body.has("network"));

        Policies policies = service.policies();
        ProfilePolicy web = policies.profile(ToolProfile.WEB_AUTOMATION);
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
        profiles.put(ToolProfile.WEB_AUTOMATION, new ProfilePolicy(ToolProfile.WEB_AUTOMATION,
                web.allowedCommands(), web.networkMode(), List.of("example.com", "*.example.org", "10.0.0.0/8", "api.example.net:443"),
                web.maxTtlSeconds(), web.maxExecTimeoutSeconds(), web.outputCapBytes(), web.recordInput()));
        service.updatePolicies(new Policies(profiles, policies.pii()));
        service.create(new CreateRunnerRequest(ProviderType.E2B, ToolProfile.WEB_AUTOMATION, 600));
        JsonNode webBody = Json.MAPPER.readTree(last("/sandboxes").body());
        assertTrue(webBody.get("allow_internet_access").asBoolean());
        assertEquals(List.of("example.com", "*.example.org", "10.0.0.0/8", "api.example.net"),
                Json.MAPPER.convertValue(webBody.get("network").get("allowOut"), List.class), "ports cannot be said to E2B");
        assertEquals(List.of("0.0.0.0/0"), Json.MAPPER.convertValue(webBody.get("network").get("denyOut"), List.class));
    }

    @Test
    void argvArrivesWordForWordAndTheStreamCarriesConnectHeaders() {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        ExecResult result = service.exec(r.runnerId(), s.sessionId(), new ExecRequest(
                List.of("printf", "%s|", "a b", "it's", "$HOME", "`id`", "", "ü"), 7));
        assertEquals("a b|it's|$HOME|`id`||ü|", result.stdout());
        E2bStub.Received start = last("/process.Process/Start");
        assertEquals("1", start.headers().get("connect-protocol-version"));
        assertEquals("application/connect+json", start.headers().get("content-type"));
        assertEquals("50", start.headers().get("keepalive-ping-interval"));
        assertEquals("7000", start.headers().get("connect-timeout-ms"));
        assertEquals("49983", start.headers().get("e2b-sandbox-port"));
        assertEquals(stub.sandboxOf(r.runnerId()), start.headers().get("e2b-sandbox-id"));
        assertTrue(start.headers().containsKey("x-access-token"));
    }

    @Test
    void exitCodesStderrAndKeepalivesAreRead() {
        stub.keepaliveMillis = 40;
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        ExecResult result = service.exec(r.runnerId(), s.sessionId(), new ExecRequest(
                List.of("bash", "-c", "sleep 0.4; echo out; echo err >&2; exit 3"), 30));
        assertEquals(3, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
        assertFalse(result.timedOut());
    }

    @Test
    void aCommandPastItsTimeoutIsEndedAndReportedTimedOut() {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        long started = System.nanoTime();
        ExecResult result = service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("bash", "-c", "echo begun; sleep 30"), 1));
        assertTrue(result.timedOut());
        assertEquals(Envd.TIMED_OUT_EXIT, result.exitCode());
        assertEquals("begun\n", result.stdout(), "output before the timeout is kept");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10));
        assertEquals(EventTypes.COMMAND_TIMED_OUT, service.events(EventQuery.ofRunner(r.runnerId(), 1)).events().get(0).eventType());
        assertEquals(0, stub.runningProcesses(stub.sandboxOf(r.runnerId())));
    }

    @Test
    void outputOverTheProfilesCapIsTruncated() {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        int cap = service.policies().profile(ToolProfile.FULL_VM_TOOLS).outputCapBytes();
        ExecResult result = service.exec(r.runnerId(), s.sessionId(), new ExecRequest(
                List.of("head", "-c", String.valueOf(cap + 100_000), "/dev/zero"), 30));
        assertTrue(result.truncated());
        assertEquals(cap, result.stdout().length());
    }

    @Test
    void aStreamCutWithoutEndOfStreamIsANetworkDropWhileTheSandboxLives() {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        stub.cutNextStream();
        RunnerException.Unavailable e = assertThrows(RunnerException.Unavailable.class,
                () -> service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "hi"))));
        assertTrue(e.getMessage().contains("broke off") && e.getMessage().contains("still up"), e.getMessage());
        assertEquals("hi\n", service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "hi"))).stdout());
    }

    @Test
    void aSandboxKilledMidCommandIsReportedGoneAndItsRunnerFailed() throws Exception {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        String id = stub.sandboxOf(r.runnerId());
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(
                () -> service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("sleep", "20"), 30)));
        Await.until(() -> stub.runningProcesses(id) > 0, Duration.ofSeconds(30), "the sleep running in the sandbox");
        stub.killBehindTheClientsBack(id);
        Exception e = assertThrows(Exception.class, () -> running.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RunnerException.Conflict c && c.getMessage().contains("is gone")
                && c.getMessage().contains("now failed"), e.toString());
        assertEquals(RunnerState.FAILED, service.get(r.runnerId()).state());
    }

    @Test
    void theApisErrorsBecomeTypedErrorsWithE2bsMessage() {
        E2bApi api = new E2bApi(stub.config(), () -> Optional.of(E2bStub.KEY), E2bProvider.httpClient());
        stub.failNextApiCall(429, "Rate limit exceeded, please try again later.", "7");
        RunnerException.RateLimited limited = assertThrows(RunnerException.RateLimited.class, () -> api.list(Map.of()));
        assertEquals(Duration.ofSeconds(7), limited.retryAfter());
        assertTrue(limited.getMessage().contains("Rate limit exceeded"), limited.getMessage());
        RunnerException.NotFound missing = assertThrows(RunnerException.NotFound.class, () -> api.sandbox("inope"));
        assertTrue(missing.getMessage().contains("sandbox \"inope\" not found"), missing.getMessage());
        assertFalse(api.kill("inope"), "killing a sandbox that is gone is not an error");
        E2bApi wrongKey = new E2bApi(stub.config(), () -> Optional.of("e2b_bad"), E2bProvider.httpClient());
        RunnerException.Unavailable refused = assertThrows(RunnerException.Unavailable.class, () -> wrongKey.list(Map.of()));
        assertTrue(refused.getMessage().contains("refused the API key") && refused.getMessage().contains("Invalid API key"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("e2b_bad"), "the key never appears in a message");
    }

    @Test
    void aRefusedCreateLeavesAFailedRunnerWithE2bsReason() {
        stub.failNextApiCall(500, "sandbox_create_failed: no capacity", null);
        RunnerException.Unavailable e = assertThrows(RunnerException.Unavailable.class, () -> create(ToolProfile.LOCKED));
        assertTrue(e.getMessage().contains("no capacity"), e.getMessage());
        Runner failed = service.list(RunnerQuery.firstPage()).runners().get(0);
        assertEquals(RunnerState.FAILED, failed.state());
    }

    @Test
    void withoutAKeyTheProviderIsUnavailableAndSaysWhy() {
        key.set(Optional.empty());
        ProviderInfo info = service.providers().stream().filter(p -> p.type() == ProviderType.E2B).findFirst().orElseThrow();
        assertFalse(info.available());
        assertTrue(info.unavailableReason().orElseThrow().contains("E2B_API_KEY"), info.toString());
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class, () -> create(ToolProfile.LOCKED));
        assertTrue(e.getMessage().contains("Settings"), e.getMessage());
        key.set(Optional.of(E2bStub.KEY));
        assertTrue(service.providers().stream().anyMatch(p -> p.type() == ProviderType.E2B && p.available()),
                "a key added later is used without a restart");
    }

    @Test
    void terminateKillsTheSandboxAndASessionTtlOverrideExtendsIt() {
        Runner r = create(ToolProfile.LOCKED);
        String id = stub.sandboxOf(r.runnerId());
        Instant before = stub.endsAt(id);
        service.startSession(r.runnerId(), Optional.of(3000));
        assertTrue(stub.endsAt(id).isAfter(before.plusSeconds(2000)), "POST /timeout moved the sandbox's end");
        service.terminate(r.runnerId());
        assertFalse(stub.alive(id));
        assertEquals("DELETE", last("/sandboxes/" + id).method());
    }

    @Test
    void afterARestartRunnersWhoseSandboxVanishedBecomeFailed() throws IOException {
        Runner kept = create(ToolProfile.LOCKED);
        Runner other = create(ToolProfile.LOCKED);
        Runner lost = create(ToolProfile.LOCKED);
        runtime.close();
        stub.killBehindTheClientsBack(stub.sandboxOf(lost.runnerId()));
        runtime = runtime();
        service = runtime.serviceFor(Principal.localUser());
        assertEquals(1, runtime.reconcile());
        assertEquals(RunnerState.FAILED, service.get(lost.runnerId()).state());
        assertTrue(service.get(lost.runnerId()).error().orElseThrow().contains("no longer exists"));
        assertEquals(RunnerState.READY, service.get(kept.runnerId()).state());
        assertEquals(RunnerState.READY, service.get(other.runnerId()).state());
        assertTrue(stub.received.stream().anyMatch(q -> q.path().contains("nextToken=")), "every page was read");
        AuditEvent failed = service.events(EventQuery.ofRunner(lost.runnerId(), 1)).events().get(0);
        assertEquals(EventTypes.RUNNER_FAILED, failed.eventType());
        // and the restarted runtime finds the access token of the others again
        Session s = service.startSession(kept.runnerId(), Optional.empty());
        assertEquals("again\n", service.exec(kept.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "again"))).stdout());
    }

    @Test
    void aSandboxThatVanishesWhileRunningFailsItsRunnerWithTheReasonAtTheNextCall() throws InterruptedException {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        stub.killBehindTheClientsBack(stub.sandboxOf(r.runnerId()));
        RunnerException exec = assertThrows(RunnerException.Conflict.class,
                () -> service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "hi"))));
        assertTrue(exec.getMessage().contains("is gone") && exec.getMessage().contains("now failed"), exec.getMessage());
        Runner failed = service.get(r.runnerId());
        assertEquals(RunnerState.FAILED, failed.state(), "the list says it too");
        assertTrue(failed.activeSession().isEmpty(), "its session ended");
        assertTrue(failed.error().orElseThrow().contains("no longer exists"), failed.error().toString());
        List<String> types = service.events(EventQuery.ofRunner(r.runnerId(), 5)).events().stream()
                .map(AuditEvent::eventType).toList();
        assertTrue(types.contains(EventTypes.RUNNER_FAILED), types.toString());
        // a terminal is refused at once and says why, not retried against a sandbox that is not there
        Runner other = create(ToolProfile.FULL_VM_TOOLS);
        Session os = service.startSession(other.runnerId(), Optional.empty());
        stub.killBehindTheClientsBack(stub.sandboxOf(other.runnerId()));
        RunnerException terminal = assertThrows(RunnerException.Conflict.class, () -> service.openTerminal(other.runnerId(),
                os.sessionId(), new TerminalSize(80, 24), new TerminalScreen()));
        assertTrue(terminal.getMessage().contains("is gone"), terminal.getMessage());
        assertEquals(RunnerState.FAILED, service.get(other.runnerId()).state());
    }

    @Test
    void aPtyShellRoundTripsKeysResizesAndEnds() throws InterruptedException {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        assertTrue(service.providers().stream().anyMatch(p -> p.type() == ProviderType.E2B && p.interactiveTerminal()));
        Session s = service.startSession(r.runnerId(), Optional.empty());
        TerminalScreen screen = new TerminalScreen();
        Terminal terminal = service.openTerminal(r.runnerId(), s.sessionId(), new TerminalSize(80, 24), screen);
        terminal.write("echo $((6*7)) $TERM\n".getBytes());
        screen.await("42 xterm-256color");
        terminal.resize(new TerminalSize(100, 30));
        terminal.write("stty size\n".getBytes());
        screen.await("30 100");
        E2bStub.Received start = stub.received.stream().filter(q -> q.path().endsWith("/Start")).reduce((a, b) -> b).orElseThrow();
        assertFalse(start.headers().containsKey("connect-timeout-ms"), "an interactive shell has no time limit");
        service.stopSession(r.runnerId(), s.sessionId());
        assertTrue(screen.exited.await(10, TimeUnit.SECONDS), "stopping the session ended the shell");
        // the shell's end reaches the client before the sandbox's process table: wait for it there too
        String sandbox = stub.sandboxOf(r.runnerId());
        Await.until(() -> stub.runningProcesses(sandbox) == 0, Duration.ofSeconds(10),
                () -> "the shell's process still runs in the sandbox: " + stub.runningProcesses(sandbox));
    }

    /** Runs {@code open} on a thread of its own, as the app's task does; what it returned or threw lands in {@code outcome}. */
    private static Thread opener(java.util.function.Supplier<Object> open, AtomicReference<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                outcome.set(open.get());
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        }, "opener");
        t.start();
        return t;
    }

    @Test
    void aShellOpenCancelledWhileE2bHoldsItsAnswerReturnsAtOnceAndLeavesNoShellRunning() throws Exception {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        String sandbox = stub.sandboxOf(r.runnerId());
        CountDownLatch lateAnswer = stub.holdNextPtyStart(); // the shell starts; its pid is not told for minutes
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread opening = opener(() -> service.openTerminal(r.runnerId(), s.sessionId(), new TerminalSize(80, 24),
                new TerminalScreen()), outcome);
        Await.until(() -> stub.runningTags(sandbox).size() == 1, Duration.ofSeconds(30),
                () -> "the shell running with the tag of its open; running: " + stub.runningTags(sandbox));
        String tag = stub.runningTags(sandbox).get(0);

        opening.interrupt(); // what the app's Cancel does to the task

        Await.until(() -> !opening.isAlive(), Duration.ofSeconds(5), () -> "the open to return after the interrupt, not"
                + " when E2B answers; it is at:\n" + java.util.Arrays.toString(opening.getStackTrace()).replace(",", "\n"));
        assertTrue(outcome.get() instanceof RunnerException e && e.getMessage().contains("cancelled"),
                "the open says it was cancelled: " + outcome.get());
        Await.until(() -> stub.runningProcesses(sandbox) == 0, Duration.ofSeconds(10),
                () -> "the cancelled open's shell ended; running: " + stub.runningTags(sandbox));
        assertTrue(stub.received.stream().anyMatch(q -> q.path().endsWith("/SendSignal") && q.body().contains(tag)
                && q.body().contains("SIGNAL_SIGKILL")), "killed by its tag, its pid never reached the client");

        lateAnswer.countDown(); // E2B's answer comes after all: nothing of it is left running
        Await.until(() -> stub.runningProcesses(sandbox) == 0, Duration.ofSeconds(10), "nothing running after the late answer");

        // the next open, not cancelled, gives a working shell
        TerminalScreen screen = new TerminalScreen();
        Terminal terminal = service.openTerminal(r.runnerId(), s.sessionId(), new TerminalSize(80, 24), screen);
        terminal.write("echo again-$((40+2))\n".getBytes());
        screen.await("again-42");
        assertEquals(1, stub.runningProcesses(sandbox), "only the new shell runs");
        terminal.close();
        Await.until(() -> stub.runningProcesses(sandbox) == 0, Duration.ofSeconds(10), "the closed shell ended");
    }

    @Test
    void aCommandCancelledWhileItRunsStopsInTheSandboxToo() throws Exception {
        Runner r = create(ToolProfile.FULL_VM_TOOLS);
        Session s = service.startSession(r.runnerId(), Optional.empty());
        String sandbox = stub.sandboxOf(r.runnerId());
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread running = opener(() -> service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("sleep", "120"), 300)),
                outcome);
        Await.until(() -> stub.runningTags(sandbox).size() == 1, Duration.ofSeconds(30), "the sleep running in the sandbox");

        running.interrupt();

        Await.until(() -> !running.isAlive(), Duration.ofSeconds(5), "the exec to return after the interrupt");
        Await.until(() -> stub.runningProcesses(sandbox) == 0, Duration.ofSeconds(10),
                () -> "the cancelled command ended; running: " + stub.runningTags(sandbox));
        assertTrue(outcome.get() instanceof RunnerException, "a cancelled exec has no result: " + outcome.get());
    }
}
