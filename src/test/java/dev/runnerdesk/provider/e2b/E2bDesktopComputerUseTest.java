package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.computeruse.AnthropicStub;
import dev.runnerdesk.provider.computeruse.ClaudeComputerUseProvider;
import dev.runnerdesk.provider.computeruse.ComputerUseSettings;
import dev.runnerdesk.provider.computeruse.Display;
import dev.runnerdesk.provider.computeruse.E2bDesktops;
import dev.runnerdesk.provider.computeruse.FakeDesktopTools;
import dev.runnerdesk.provider.computeruse.ToolDialect;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.testutil.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claude_computer_use provider end to end against both protocol stubs: E2B (control plane and envd,
 * commands really run, the desktop's X tools faked on PATH) and Anthropic's Messages API with a script.
 */
class E2bDesktopComputerUseTest {
    private static final String ANTHROPIC_KEY = "sk-ant-e2e-key";

    @TempDir
    Path dir;
    private E2bStub e2b;
    private AnthropicStub anthropic;
    private FakeDesktopTools tools;
    private final AtomicReference<Optional<String>> e2bKey = new AtomicReference<>(Optional.of(E2bStub.KEY));
    private final AtomicReference<Optional<String>> anthropicKey = new AtomicReference<>(Optional.of(ANTHROPIC_KEY));
    private EmbeddedRuntime runtime;
    private RunnerService service;

    @BeforeEach
    void open() throws IOException {
        e2b = new E2bStub(Files.createDirectories(dir.resolve("e2b")));
        tools = new FakeDesktopTools(dir.resolve("tools"));
        e2b.extraPath = tools.bin();
        anthropic = new AnthropicStub(ANTHROPIC_KEY, ToolDialect.COMPUTER_20250124);
        ComputerUseSettings settings = ComputerUseSettings.forModel("claude-sonnet-4-5-20250929")
                .withBaseUrl(anthropic.baseUrl()).withSettleDelay(Duration.ZERO).withMaxAttempts(1);
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        var http = E2bProvider.httpClient();
        runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new ClaudeComputerUseProvider(dataDir,
                () -> settings, new E2bDesktops(e2b::config, e2bKey::get, http, Display.XGA), anthropicKey::get, http)));
        service = runtime.serviceFor(Principal.localUser());
    }

    @AfterEach
    void close() {
        runtime.close();
        anthropic.close();
        e2b.close();
    }

    private Runner create(ToolProfile profile) {
        return service.create(new CreateRunnerRequest(ProviderType.CLAUDE_COMPUTER_USE, profile, 900, Optional.empty()));
    }

    @Test
    void aRunnerIsADesktopSandboxWhoseDisplayIsBootedBeforeItIsReady() {
        Runner runner = create(ToolProfile.LOCKED);

        assertEquals(RunnerState.READY, runner.state());
        String sandbox = e2b.sandboxOf(runner.runnerId());
        E2bStub.Received created = e2b.received.stream().filter(r -> r.method().equals("POST") && r.path().equals("/sandboxes"))
                .findFirst().orElseThrow();
        Map<String, Object> body = parse(created.body());
        assertEquals("desktop", body.get("templateID"));
        assertEquals(Map.of("DISPLAY", ":0"), body.get("envVars"));
        assertEquals(900, body.get("timeout"));
        assertEquals(true, body.get("secure"));
        assertEquals(false, body.get("allow_internet_access"));
        assertEquals(runner.runnerId(), e2b.metadata(sandbox).get("runner_id"));
        // started in the background: its fake writes its line when it runs, which may be after create returned
        Await.until(() -> tools.calls().contains("startxfce4 "), Duration.ofSeconds(10), () -> "startxfce4 in " + tools.calls());
        List<String> boot = tools.calls();
        // Xvfb is started first, but in the background too: its line may follow the first xdpyinfo's
        assertTrue(boot.contains("Xvfb :0 -ac -screen 0 1024x768x24 -retro -dpi 96 -nolisten tcp -nolisten unix"), boot::toString);
        assertTrue(boot.contains("xdpyinfo -display :0"), boot::toString);
        assertEquals("startxfce4 ", boot.get(boot.size() - 1));
    }

    @Test
    void theScriptedThreeActionTaskRunsOnTheE2bDesktopAndRecordsThreeActionsWithScreenshots() {
        Runner runner = create(ToolProfile.FULL_VM_TOOLS);
        String session = service.startSession(runner.runnerId(), Optional.empty()).sessionId();
        anthropic.action("screenshot", "{}")
                .action("left_click", "{\"coordinate\":[100,200]}")
                .action("type", "{\"text\":\"hello world\"}")
                .finalText("Typed hello world.");

        ExecResult result = service.exec(runner.runnerId(), session,
                new ExecRequest(List.of("Type", "hello", "world", "in", "the", "editor"), 120));

        assertEquals(List.of(), anthropic.problems());
        assertEquals(0, result.exitCode());
        assertEquals("Typed hello world.", result.stdout());
        assertEquals("Type hello world in the editor",
                anthropic.requests().get(0).path("messages").path(0).path("content").asText());
        assertEquals(List.of("mousemove --sync 100 200 click 1", "type --delay 12 -- hello world"), tools.xdotoolCalls());
        List<AuditEvent> actions = service.events(EventQuery.ofRunner(runner.runnerId(), 100)).events().stream()
                .filter(e -> e.eventType().equals(EventTypes.COMPUTER_ACTION))
                .sorted(Comparator.comparingLong(AuditEvent::seq)).toList();
        assertEquals(List.of("screenshot", "left_click", "type"), actions.stream().map(e -> e.data().get("action")).toList());
        assertEquals(List.of(100, 200), actions.get(1).data().get("coordinate"));
        for (AuditEvent action : actions) {
            assertEquals("sandbox", action.actor());
            assertArrayEquals(tools.screenshotPng(), service.screenshot(runner.runnerId(), (String) action.data().get("screenshot")));
        }
    }

    @Test
    void withoutAKeyTheProviderSaysWhichIsMissingAndWithoutBothNamesBoth() {
        anthropicKey.set(Optional.empty());
        assertEquals(Optional.of(ProviderKeys.ANTHROPIC.missingReason()), probe().unavailableReason());
        e2bKey.set(Optional.empty());
        assertEquals(Optional.of(ClaudeComputerUseProvider.bothKeysMissing()), probe().unavailableReason(), "both named");
        anthropicKey.set(Optional.of(ANTHROPIC_KEY));
        assertEquals(Optional.of(ProviderKeys.E2B.missingReason()), probe().unavailableReason());
        anthropicKey.set(Optional.of(ANTHROPIC_KEY));
        e2bKey.set(Optional.of(E2bStub.KEY));
        assertTrue(probe().available());
        assertFalse(probe().interactiveTerminal());
    }

    @Test
    void terminatingTheRunnerKillsItsDesktopSandbox() {
        Runner runner = create(ToolProfile.FULL_VM_TOOLS);
        String sandbox = e2b.sandboxOf(runner.runnerId());

        service.terminate(runner.runnerId());

        assertFalse(e2b.alive(sandbox));
    }

    private ProviderInfo probe() {
        return service.providers().stream().filter(p -> p.type() == ProviderType.CLAUDE_COMPUTER_USE).findFirst().orElseThrow();
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.readObject(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
