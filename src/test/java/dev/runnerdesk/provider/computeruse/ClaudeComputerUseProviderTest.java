package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.provider.e2b.E2bConfig;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.testutil.Await;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The computer-use provider in the embedded runtime, against the Anthropic stub and a desktop of fake X tools. */
class ClaudeComputerUseProviderTest {
    private static final String KEY = "sk-ant-test-0123456789";

    @TempDir
    Path dir;
    private AnthropicStub anthropic;
    private FakeDesktopTools tools;
    private LocalDesktopSandboxes desktops;
    private EmbeddedRuntime runtime;
    private RunnerService service;
    private String runnerId;
    private String sessionId;

    private void open(ToolDialect dialect, String providerKey, UnaryOperator<ComputerUseSettings> tune)
            throws IOException {
        anthropic = new AnthropicStub(KEY, dialect);
        tools = new FakeDesktopTools(dir.resolve("tools"));
        desktops = new LocalDesktopSandboxes(tools, Files.createDirectories(dir.resolve("work")));
        ComputerUseSettings settings = tune.apply(ComputerUseSettings.forModel("claude-sonnet-4-5-20250929")
                .withDialect(dialect).withBaseUrl(anthropic.baseUrl()).withSettleDelay(Duration.ZERO).withMaxAttempts(1));
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new ClaudeComputerUseProvider(dataDir, () -> settings,
                desktops, () -> Optional.ofNullable(providerKey), new OkHttpClient())));
        service = runtime.serviceFor(Principal.localUser());
        if (providerKey != null) {
            runnerId = service.create(new CreateRunnerRequest(ProviderType.CLAUDE_COMPUTER_USE, ToolProfile.FULL_VM_TOOLS,
                    3600, Optional.empty())).runnerId();
            sessionId = service.startSession(runnerId, Optional.empty()).sessionId();
        }
    }

    private void open(ToolDialect dialect) throws IOException {
        open(dialect, KEY, s -> s);
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
        if (anthropic != null) {
            anthropic.close();
        }
    }

    private ExecResult exec(String task, int timeoutSeconds) {
        return service.exec(runnerId, sessionId, new ExecRequest(List.of(task.split(" ")), timeoutSeconds));
    }

    private List<AuditEvent> actionEvents() {
        return service.events(EventQuery.ofRunner(runnerId, 100)).events().stream()
                .filter(e -> e.eventType().equals(EventTypes.COMPUTER_ACTION))
                .sorted(Comparator.comparingLong(AuditEvent::seq)).toList();
    }

    @Test
    void aTaskIsNotAProgramSoALockedRunnerTakesItAndWhatClaudeTypesIsScannedForPii() throws IOException {
        open(ToolDialect.COMPUTER_20250124);
        runnerId = service.create(new CreateRunnerRequest(ProviderType.CLAUDE_COMPUTER_USE, ToolProfile.LOCKED, 3600,
                Optional.empty())).runnerId();
        sessionId = service.startSession(runnerId, Optional.empty()).sessionId();
        anthropic.action("type", "{\"text\":\"ada@example.com\"}").finalText("Typed the address.");

        ExecResult result = exec("Sign up with ada@example.com", 60);

        assertEquals(0, result.exitCode(), "the locked profile's command list does not apply to a task");
        assertEquals(List.of("type --delay 12 -- ada@example.com"), tools.xdotoolCalls());
        Object typed = actionEvents().get(0).data().get("text");
        assertFalse(String.valueOf(typed).contains("ada@example.com"), "the audit trail keeps no e-mail address: " + typed);
    }

    @Test
    void scriptedThreeActionTaskRecordsThreeActionsWithTheirScreenshots() throws IOException {
        open(ToolDialect.COMPUTER_20250124);
        anthropic.action("screenshot", "{}")
                .action("left_click", "{\"coordinate\":[100,200]}")
                .action("type", "{\"text\":\"hello\"}")
                .finalText("I typed hello into the search field.");

        ExecResult result = exec("Type hello into the search field", 60);

        assertEquals(List.of(), anthropic.problems());
        assertEquals(0, result.exitCode());
        assertEquals("I typed hello into the search field.", result.stdout());
        assertFalse(result.timedOut());
        assertEquals(4, anthropic.requests().size());
        assertEquals("Type hello into the search field",
                anthropic.requests().get(0).path("messages").path(0).path("content").asText());
        assertEquals(List.of("mousemove --sync 100 200 click 1", "type --delay 12 -- hello"), tools.xdotoolCalls());

        List<AuditEvent> actions = actionEvents();
        assertEquals(3, actions.size());
        assertEquals(List.of("screenshot", "left_click", "type"), actions.stream().map(e -> e.data().get("action")).toList());
        assertEquals(List.of(100, 200), actions.get(1).data().get("coordinate"));
        assertEquals("hello", actions.get(2).data().get("text"));
        for (int i = 0; i < 3; i++) {
            Map<String, Object> data = actions.get(i).data();
            assertEquals(result.commandId(), data.get("command_id"));
            assertEquals(i + 1, ((Number) data.get("step")).intValue());
            assertEquals(result.commandId() + "-" + (i + 1) + ".png", data.get("screenshot"));
            assertEquals(Optional.of(sessionId), actions.get(i).sessionId());
            assertArrayEquals(tools.screenshotPng(), service.screenshot(runnerId, (String) data.get("screenshot")));
        }
    }

    @Test
    void actionInputTheModelGotWrongIsAnsweredAsAnErrorAndTheTaskGoesOn() throws IOException {
        open(ToolDialect.COMPUTER_20250124);
        anthropic.action("left_click", "{\"coordinate\":[5000,10]}")
                .action("fly", "{}")
                .action("key", "{\"text\":\"ctrl+l\"}")
                .finalText("done");

        ExecResult result = exec("Focus the address bar", 60);

        assertEquals(List.of(), anthropic.problems());
        assertEquals(0, result.exitCode());
        JsonNode refusedClick = lastToolResult(1);
        assertTrue(refusedClick.path("is_error").asBoolean());
        assertEquals("coordinate [5000, 10] is outside the 1024x768 display", refusedClick.path("content").asText());
        assertEquals("unknown action \"fly\"", lastToolResult(2).path("content").asText());
        assertFalse(lastToolResult(3).path("is_error").asBoolean());
        assertEquals(List.of("key -- ctrl+l"), tools.xdotoolCalls());
        assertEquals(List.of("key"), actionEvents().stream().map(e -> e.data().get("action")).toList());
    }

    @Test
    void aFailedCommandIsRecordedWithItsErrorAndAnsweredAsAnError() throws IOException {
        open(ToolDialect.COMPUTER_20251124);
        tools.failNextXdotool();
        anthropic.action("double_click", "{\"coordinate\":[10,20]}").finalText("the display is gone");

        ExecResult result = exec("Open the file", 60);

        assertEquals(List.of(), anthropic.problems());
        assertEquals(0, result.exitCode());
        JsonNode answer = lastToolResult(1);
        assertTrue(answer.path("is_error").asBoolean());
        assertTrue(answer.path("content").asText().contains("Can't open display"), answer::toString);
        AuditEvent event = actionEvents().get(0);
        assertEquals("double_click", event.data().get("action"));
        assertTrue(((String) event.data().get("error")).contains("Can't open display"));
        assertFalse(event.data().containsKey("screenshot"));
    }

    @Test
    void aTaskStopsAtItsStepLimit() throws IOException {
        open(ToolDialect.COMPUTER_20250124, KEY, s -> s.withMaxSteps(2));
        anthropic.action("screenshot", "{}").action("screenshot", "{}").action("screenshot", "{}").finalText("never");

        ExecResult result = exec("Look around forever", 60);

        assertEquals(ComputerUseLoop.MAX_STEPS_EXIT, result.exitCode());
        assertTrue(result.stdout().startsWith("Stopped after 2 actions without finishing the task."), result.stdout());
        assertTrue(result.stderr().contains("limit of 2 actions"), result.stderr());
        assertEquals(2, actionEvents().size());
        assertEquals(3, anthropic.requests().size());
    }

    @Test
    void aTaskEndsAtTheExecTimeout() throws IOException {
        open(ToolDialect.COMPUTER_20250124);
        anthropic.action("screenshot", "{}").finalText("too late").slowly(Duration.ofSeconds(4));

        long started = System.nanoTime();
        ExecResult result = exec("Wait for the slow model", 1);

        assertTrue(result.timedOut());
        assertEquals(ComputerUseLoop.TIMED_OUT_EXIT, result.exitCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3500, "returned at the timeout, not the answer");
        assertEquals(1, actionEvents().size());
        assertTrue(service.events(EventQuery.ofRunner(runnerId, 100)).events().stream()
                .anyMatch(e -> e.eventType().equals(EventTypes.COMMAND_TIMED_OUT)));
    }

    @Test
    void terminatingTheRunnerCancelsItsTask() throws Exception {
        open(ToolDialect.COMPUTER_20250124);
        anthropic.action("screenshot", "{}").finalText("too late").slowly(Duration.ofSeconds(20));
        CompletableFuture<ExecResult> task = CompletableFuture.supplyAsync(() -> exec("Work slowly", 60));
        Await.until(() -> anthropic.requests().size() >= 2, Duration.ofSeconds(30), "the task's second model request");

        service.terminate(runnerId);

        ExecResult result = task.get(5, TimeUnit.SECONDS);
        assertEquals(ComputerUseLoop.CANCELLED_EXIT, result.exitCode());
        assertTrue(result.stderr().contains("cancelled"), result.stderr());
        assertTrue(desktops.live.isEmpty());
    }

    @Test
    void theToolsetDialectAnswersEachActionWithItsToolsetAndSkipsTheRestAfterAFailure() throws IOException {
        open(ToolDialect.COMPUTER_TOOLSET_20260801);
        anthropic.actions(List.of("left_click", "type"), List.of("{\"coordinate\":[-1,3]}", "{\"text\":\"x\"}"))
                .actions(List.of("mouse_move", "cursor_position"), List.of("{\"coordinate\":[7,8]}", "{}"))
                .finalText("moved");

        ExecResult result = exec("Move the pointer", 60);

        assertEquals(List.of(), anthropic.problems());
        assertEquals(0, result.exitCode());
        JsonNode firstTurn = lastUserContent(1);
        assertEquals("computer", firstTurn.path(0).path("toolset_name").asText());
        assertTrue(firstTurn.path(0).path("is_error").asBoolean());
        assertEquals("Not executed: an earlier action of this turn failed.", firstTurn.path(1).path("content").asText());
        JsonNode secondTurn = lastUserContent(2);
        assertEquals("X=512,Y=384", secondTurn.path(1).path("content").path(0).path("text").asText());
        assertEquals(List.of("mousemove --sync 7 8", "getmouselocation --shell"), tools.xdotoolCalls());
        assertEquals(List.of("mouse_move", "cursor_position"), actionEvents().stream().map(e -> e.data().get("action")).toList());
    }

    @Test
    void olderScreenshotsLeaveTheConversation() throws IOException {
        open(ToolDialect.COMPUTER_20250124, KEY, s -> s.withImagesKept(2));
        anthropic.action("screenshot", "{}").action("screenshot", "{}").action("screenshot", "{}").finalText("seen");

        exec("Look three times", 60);

        JsonNode messages = anthropic.requests().get(3).path("messages");
        List<String> kinds = new ArrayList<>();
        messages.forEach(m -> m.path("content").forEach(b -> b.path("content").forEach(p -> kinds.add(p.path("type").asText()))));
        assertEquals(List.of("text", "image", "image"), kinds);
    }

    @Test
    void aRefusedKeyFailsTheCommandWithoutShowingTheKey() throws IOException {
        open(ToolDialect.COMPUTER_20250124, "sk-ant-wrong-key-42", s -> s);
        runnerId = service.create(new CreateRunnerRequest(ProviderType.CLAUDE_COMPUTER_USE, ToolProfile.FULL_VM_TOOLS,
                3600, Optional.empty())).runnerId();
        sessionId = service.startSession(runnerId, Optional.empty()).sessionId();

        RunnerException.Unavailable refused = assertThrows(RunnerException.Unavailable.class, () -> exec("Do it", 30));

        assertTrue(refused.getMessage().startsWith("the Anthropic key was refused: invalid x-api-key"), refused.getMessage());
        assertFalse(refused.getMessage().contains("sk-ant-wrong-key-42"));
        String audit = service.events(EventQuery.ofRunner(runnerId, 100)).events().toString();
        assertFalse(audit.contains("sk-ant-wrong-key-42"));
    }

    @Test
    void withoutAnAnthropicKeyTheProviderIsUnavailableAndSaysWhy() throws IOException {
        open(ToolDialect.COMPUTER_20250124, null, s -> s);

        ProviderInfo info = service.providers().stream().filter(p -> p.type() == ProviderType.CLAUDE_COMPUTER_USE)
                .findFirst().orElseThrow();

        assertFalse(info.available());
        assertEquals(Optional.of(ProviderKeys.ANTHROPIC.missingReason()), info.unavailableReason());
    }

    @Test
    void withoutEitherKeyTheProviderNamesBoth() {
        ClaudeComputerUseProvider provider = ClaudeComputerUseProvider.onE2b(dir, () -> E2bConfig.fromEnvironment(Map.of()),
                Optional::empty, Optional::empty, Map.of());

        String reason = provider.probe().unavailableReason().orElseThrow();

        assertTrue(reason.contains("E2B") && reason.contains("Anthropic") && reason.contains("E2B_API_KEY")
                && reason.contains("ANTHROPIC_API_KEY"), reason);
    }

    @Test
    void aSecondTaskOnTheSameDesktopIsRefusedWhileTheFirstRuns() throws Exception {
        open(ToolDialect.COMPUTER_20250124);
        anthropic.finalText("first done").slowly(Duration.ofSeconds(2));
        CompletableFuture<ExecResult> first = CompletableFuture.supplyAsync(() -> exec("First task", 60));
        Await.until(() -> !anthropic.requests().isEmpty(), Duration.ofSeconds(30), "the first task's model request");

        RunnerException.Conflict second = assertThrows(RunnerException.Conflict.class, () -> exec("Second task", 60));

        assertTrue(second.getMessage().contains("already running"), second.getMessage());
        assertEquals("first done", first.get(10, TimeUnit.SECONDS).stdout());
    }

    @Test
    void settingsThatWouldSendTheKeyInClearMakeTheProviderUnavailableWithTheReason() {
        ClaudeComputerUseProvider provider = new ClaudeComputerUseProvider(dir,
                () -> ComputerUseSettings.fromEnvironment(Map.of("ANTHROPIC_BASE_URL", "http://proxy.example.com")),
                new LocalDesktopSandboxes(null, dir), () -> Optional.of(KEY), new OkHttpClient());

        ProviderInfo info = provider.probe();

        assertFalse(info.available());
        assertTrue(info.unavailableReason().orElseThrow().startsWith("the computer-use settings are wrong: refusing to send"
                + " the Anthropic key over plain http"), info.unavailableReason()::orElseThrow);
    }

    /** The {@code index}-th tool_result the loop sent: the last user message of request {@code index}. */
    private JsonNode lastToolResult(int index) {
        return lastUserContent(index).path(0);
    }

    private JsonNode lastUserContent(int index) {
        JsonNode messages = anthropic.requests().get(index).path("messages");
        return messages.path(messages.size() - 1).path("content");
    }
}
