package dev.runnerdesk.ui.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.AuditFill;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export of a filtered range, page by page from the embedded runtime; no toolkit. */
class EventExportTest {
    /** Of 2,600 events, every 13th three are another type or runner: 2,000 are command.executed of runner A. */
    private static final int STORED = 2_600;
    private static final int WANTED = 2_000;
    @TempDir
    static Path dir;
    private static EmbeddedRuntime runtime;
    private static RunnerService service;
    private static String a;

    @BeforeAll
    static void fill() throws Exception {
        runtime = new EmbeddedRuntime(dir.resolve("data"), Clock.systemUTC(), List.of(new FakeProvider()));
        service = runtime.serviceFor(Principal.localUser());
        a = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();
        String b = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();
        Instant t0 = Instant.parse("2030-01-01T10:00:00Z");
        AuditFill.append(runtime.dataDir(), STORED, i -> {
            boolean wanted = i % 13 < 10;
            String type = wanted || i % 13 == 11 ? EventTypes.COMMAND_EXECUTED : EventTypes.COMMAND_DENIED;
            return new AuditFill.Row(type, t0.plusMillis(i), wanted || i % 13 == 10 ? a : b, "sess_000000000001", "local",
                    Map.of("argv", List.of("echo", "line, \"" + i + "\""), "exit_code", 0));
        });
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    private static EventQuery commandsOfA() {
        return new EventQuery(Optional.of(a), 200, Optional.of(1_000L), Set.of(EventTypes.COMMAND_EXECUTED), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void jsonLinesHoldExactlyTheEventsTheFilterSelectsNewestFirstAcrossPages() throws Exception {
        Path file = dir.resolve("a.jsonl");
        List<long[]> progress = new ArrayList<>();
        long written = EventExport.write(service, commandsOfA(), ExportFormat.JSON_LINES, file,
                (done, total) -> progress.add(new long[] {done, total}));
        assertEquals(WANTED, written, "the whole range, not the page shown nor the position it was scrolled to");
        List<String> lines = Files.readAllLines(file);
        assertEquals(WANTED, lines.size());
        ObjectMapper json = new ObjectMapper();
        long previous = Long.MAX_VALUE;
        for (String line : lines) {
            JsonNode e = json.readTree(line);
            assertEquals(EventTypes.COMMAND_EXECUTED, e.get("event_type").asText());
            assertEquals(a, e.get("runner_id").asText());
            assertEquals(64, e.get("hash").asText().length());
            assertTrue(e.get("seq").asLong() < previous, "newest first");
            previous = e.get("seq").asLong();
        }
        assertTrue(progress.size() >= 2, "a report per page of 1,000");
        assertEquals(1_000, progress.get(0)[0]);
        assertEquals(WANTED, progress.get(0)[1], "the total is known from the first page");
        assertEquals(WANTED, progress.get(progress.size() - 1)[0]);
        assertFalse(Files.exists(dir.resolve("a.jsonl.part")));
    }

    @Test
    void csvHasTheHeaderAndOneQuotedRowPerEvent() throws Exception {
        Path file = dir.resolve("a.csv");
        assertEquals(WANTED, EventExport.write(service, commandsOfA(), ExportFormat.CSV, file, (done, total) -> { }));
        List<String> rows = Files.readAllLines(file);
        assertEquals("seq,event_type,timestamp,runner_id,session_id,actor,data,prev_hash,hash", rows.get(0));
        assertEquals(WANTED + 1, rows.size());
        assertTrue(rows.get(1).matches("^\\d+,command\\.executed,2030-.*," + a + ",sess_000000000001,local,\"\\{.*\\}\",[0-9a-f]{64},[0-9a-f]{64}$"),
                rows.get(1));
        assertTrue(rows.get(1).contains("\"\"line, \\\"\""), "quotes doubled inside a quoted field: " + rows.get(1));
    }

    @Test
    void aFailureHalfWayLeavesTheTargetAsItWasAndNoPart() throws Exception {
        Path file = dir.resolve("kept.jsonl");
        Files.writeString(file, "an earlier export\n");
        AtomicInteger pages = new AtomicInteger();
        RunnerService failing = (RunnerService) Proxy.newProxyInstance(RunnerService.class.getClassLoader(),
                new Class<?>[] {RunnerService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("events") && pages.incrementAndGet() == 2) {
                        throw new RunnerException.Unavailable("the gateway went away");
                    }
                    try {
                        return method.invoke(service, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        assertThrows(RunnerException.Unavailable.class,
                () -> EventExport.write(failing, commandsOfA(), ExportFormat.JSON_LINES, file, (done, total) -> { }));
        assertEquals("an earlier export\n", Files.readString(file));
        assertFalse(Files.exists(dir.resolve("kept.jsonl.part")));
    }

    @Test
    void anInterruptCancelsItAndDeletesThePart() {
        Path file = dir.resolve("cancelled.jsonl");
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class,
                    () -> EventExport.write(service, commandsOfA(), ExportFormat.JSON_LINES, file, (done, total) -> { }));
        } finally {
            Thread.interrupted();
        }
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("cancelled.jsonl.part")));
    }
}
