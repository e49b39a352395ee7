package dev.runnerdesk.provider.local;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.Sandboxes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The `local` provider through the embedded runtime: real commands in bubblewrap, isolation enforced by the sandbox. */
class LocalSandboxTest {
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private RunnerService service;

    @BeforeEach
    void open() {
        runtime = EmbeddedRuntimes.open(dataDir);
        service = runtime.serviceFor(Principal.localUser());
        Sandboxes.require(service);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private record Live(Runner runner, Session session) {
    }

    private Live start(ToolProfile profile) {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.LOCAL, profile, 600));
        return new Live(r, service.startSession(r.runnerId(), Optional.empty()));
    }

    private ExecResult exec(Live live, int timeout, String... argv) {
        return service.exec(live.runner().runnerId(), live.session().sessionId(), new ExecRequest(List.of(argv), timeout));
    }

    private void allowInLocked(String... commands) {
        Policies current = service.policies();
        ProfilePolicy locked = current.profile(ToolProfile.LOCKED);
        List<String> allowed = new ArrayList<>(locked.allowedCommands());
        allowed.addAll(List.of(commands));
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(current.profiles());
        profiles.put(ToolProfile.LOCKED, new ProfilePolicy(ToolProfile.LOCKED, allowed, locked.networkMode(), locked.egressAllowlist(),
                locked.maxTtlSeconds(), locked.maxExecTimeoutSeconds(), locked.outputCapBytes(), locked.recordInput()));
        service.updatePolicies(new Policies(profiles));
    }

    @Test
    void realCommandsRunInTheWorkspace() {
        Live live = start(ToolProfile.LOCKED);
        ExecResult pwd = exec(live, 30, "pwd");
        assertEquals("/workspace\n", pwd.stdout());
        assertEquals(0, pwd.exitCode());
        ExecResult missing = exec(live, 30, "ls", "/nonexistent");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("nonexistent"), missing.stderr());
    }

    @Test
    void onlyFullVmToolsConnectsDirectlyLockedAndWebAutomationCannot() throws IOException {
        allowInLocked("bash");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String connect = "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort() + " && echo connected";
            ExecResult locked = exec(start(ToolProfile.LOCKED), 20, "bash", "-c", connect);
            assertNotEquals(0, locked.exitCode(), locked.stdout());
            assertFalse(locked.stdout().contains("connected"));
            ExecResult web = exec(start(ToolProfile.WEB_AUTOMATION), 20, "bash", "-c", connect);
            assertNotEquals(0, web.exitCode(), "web_automation goes through its egress proxy only: " + web.stdout());
            ExecResult full = exec(start(ToolProfile.FULL_VM_TOOLS), 20, "bash", "-c", connect);
            assertEquals(0, full.exitCode(), full.stderr());
            assertEquals("connected\n", full.stdout());
        }
    }

    @Test
    void lockedSandboxHoldsOnlyTheAllowedPrograms() {
        allowInLocked("bash");
        Live live = start(ToolProfile.LOCKED);
        ExecResult ls = exec(live, 30, "ls", "/usr/bin");
        Set<String> programs = Set.of(ls.stdout().split("\\s+"));
        assertTrue(programs.contains("cat") && programs.contains("bash"), ls.stdout());
        assertFalse(programs.contains("curl") || programs.contains("python3") || programs.contains("java"), ls.stdout());
        ExecResult python = exec(live, 30, "bash", "-c", "python3 -c 'print(1)'");
        assertEquals(127, python.exitCode(), "not found inside the sandbox: " + python.stderr());
    }

    @Test
    void noHostEnvironmentVariablePassesIn() {
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        String env = exec(live, 30, "env").stdout();
        Set<String> ours = Set.of("PATH", "HOME", "USER", "LANG", "TERM", "PWD", "SHLVL", "_", "OLDPWD");
        for (String name : System.getenv().keySet()) {
            if (!ours.contains(name)) {
                assertFalse(env.contains(name + "="), () -> "host variable " + name + " is visible inside:\n" + env);
            }
        }
        assertTrue(env.contains("HOME=/workspace"), env);
        assertFalse(exec(live, 30, "ls", "/").stdout().contains("root\n"), "no host home folders");
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree() throws Exception {
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        long started = System.nanoTime();
        ExecResult r = exec(live, 1, "sh", "-c", "sleep 4321 & sleep 4321");
        assertTrue(r.timedOut());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(8));
        assertEquals(EventTypes.COMMAND_TIMED_OUT, service.events(EventQuery.ofRunner(live.runner().runnerId(), 1))
                .events().get(0).eventType());
        // the killed tree is reaped by init: wait for it to be gone, not for a guessed while
        Await.until(() -> pgrep("sleep 4321").isEmpty(), Duration.ofSeconds(10), "no processes left behind");
    }

    private static String pgrep(String pattern) throws IOException, InterruptedException {
        Process pgrep = new ProcessBuilder("pgrep", "-f", pattern).start();
        String found = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        pgrep.waitFor();
        return found;
    }

    @Test
    void outputPastTheCapIsCutAndMarked() {
        Policies current = service.policies();
        ProfilePolicy full = current.profile(ToolProfile.FULL_VM_TOOLS);
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(current.profiles());
        profiles.put(ToolProfile.FULL_VM_TOOLS, new ProfilePolicy(ToolProfile.FULL_VM_TOOLS, full.allowedCommands(),
                full.networkMode(), full.egressAllowlist(), full.maxTtlSeconds(), full.maxExecTimeoutSeconds(), 4096, false));
        service.updatePolicies(new Policies(profiles));
        ExecResult r = exec(start(ToolProfile.FULL_VM_TOOLS), 30, "seq", "1", "200000");
        assertTrue(r.truncated());
        assertEquals(4096, r.stdout().length());
        assertEquals(0, r.exitCode(), "the command was drained, not blocked");
    }

    @Test
    void outputStreamsAsItIsProduced() {
        Live live = start(ToolProfile.FULL_VM_TOOLS);
        List<Long> arrivals = new ArrayList<>();
        long started = System.nanoTime();
        service.exec(live.runner().runnerId(), live.session().sessionId(),
                new ExecRequest(List.of("sh", "-c", "echo one; sleep 1; echo two"), 30),
                (stream, chunk) -> arrivals.add((System.nanoTime() - started) / 1_000_000));
        assertTrue(arrivals.size() >= 2, arrivals.toString());
        assertTrue(arrivals.get(1) - arrivals.get(0) >= 700, "the first line came before the command ended: " + arrivals);
    }

    @Test
    void workspacesAreIsolatedAndRemovedOnTerminate() {
        Live a = start(ToolProfile.LOCKED);
        Live b = start(ToolProfile.LOCKED);
        assertEquals(0, exec(a, 30, "touch", "/workspace/secret-of-a").exitCode());
        assertEquals("secret-of-a\n", exec(a, 30, "ls", "/workspace").stdout());
        assertEquals("", exec(b, 30, "ls", "/workspace").stdout());
        assertNotEquals(0, exec(b, 30, "ls", dataDir.toString()).exitCode(), "the host's data dir is not visible");
        Path workspace = dataDir.resolve("sandboxes").resolve(a.runner().runnerId()).resolve("workspace");
        assertTrue(Files.isDirectory(workspace), "its files are in memory (WorkspaceHolder), mounted over this folder");
        service.terminate(a.runner().runnerId());
        assertFalse(Files.exists(workspace.getParent()), "workspace removed");
    }

    @Test
    void theProfilesCommandListStillApplies() {
        Live live = start(ToolProfile.LOCKED);
        assertThrows(RunnerException.PolicyDenied.class, () -> exec(live, 30, "bash", "-c", "echo hi"));
        AuditEvent denied = service.events(EventQuery.ofRunner(live.runner().runnerId(), 1)).events().get(0);
        assertEquals(EventTypes.COMMAND_DENIED, denied.eventType());
    }
}
