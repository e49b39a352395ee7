package dev.runnerdesk.ui.timeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.testutil.AuditFill;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.ui.ControllerFixture;
import dev.runnerdesk.ui.OnFxThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeline's controller without a window: the real embedded runtime (fake provider), an immediate executor,
 * and each step's outcome read from the model at once.
 */
@ExtendWith(OnFxThread.class)
class TimelineControllerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    static Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    private ControllerFixture backend;
    private TimelineController timeline;
    private TimelineModel model;

    @BeforeEach
    void open() {
        backend = new ControllerFixture(dataDir, clock);
        timeline = new TimelineController(backend.connection, backend.tasks, backend.notifier, clock, () -> null);
        model = timeline.model();
    }

    @AfterEach
    void close() {
        timeline.deactivate();
        backend.close();
    }

    private Session runnerWithSession() {
        Runner r = backend.create();
        return backend.service.startSession(r.runnerId(), Optional.empty());
    }

    private void exec(Session s, String... argv) {
        backend.service.exec(s.runnerId(), s.sessionId(), new ExecRequest(List.of(argv)));
    }

    private List<String> types() {
        return model.events.stream().map(AuditEvent::eventType).toList();
    }

    @Test
    void shownItLoadsTheNewestEventsFirstAndVerifiesTheirChain() {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        timeline.activate();
        assertEquals(List.of(EventTypes.COMMAND_EXECUTED, EventTypes.SESSION_STARTED, EventTypes.RUNNER_READY,
                EventTypes.RUNNER_CREATED), types());
        assertEquals(4, model.total.get());
        assertFalse(model.hasMore.get());
        assertTrue(model.loaded.get());
        assertFalse(model.loading.get());
        assertEquals(ChainBadge.LoadedCheck.of(new ChainVerification.Verified(1, 4, 4)), model.loadedCheck.get());
        assertEquals(TimelineModel.ChainStatus.Kind.VERIFIED, model.chain.get().kind());
        assertEquals("all events of all runners", model.queryLine.get());
    }

    @Test
    void aTimeRangeQuickPickShowsOnlyTheEventsInIt() {
        Runner old = backend.create();
        clock.advance(Duration.ofHours(2));
        Runner recent = backend.create();
        timeline.activate();
        assertEquals(4, model.events.size());

        model.range.set(TimeRange.LAST_HOUR);
        OnFxThread.until(() -> model.events.size() == 2, WAIT, "the filter reloads a moment after it changed");
        assertTrue(model.events.stream().allMatch(e -> e.runnerId().orElse("").equals(recent.runnerId())));
        assertEquals("last 1 h", model.queryLine.get());
        assertEquals(TimelineModel.ChainStatus.Kind.UNCHECKED, model.chain.get().kind(), "a filter's events are not consecutive");

        model.range.set(TimeRange.LAST_DAY);
        OnFxThread.until(() -> model.events.size() == 4, WAIT, "both runners' events again");

        // a custom range: only what happened before the second runner
        DateTimeFormatter input = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
        String from = input.format(Instant.parse("2030-01-01T09:30:00Z"));
        String to = input.format(Instant.parse("2030-01-01T11:00:00Z"));
        model.range.set(TimeRange.CUSTOM);
        model.customFrom.set(from);
        model.customTo.set(to);
        OnFxThread.until(() -> model.events.size() == 2, WAIT, "the custom range's two events");
        assertTrue(model.events.stream().allMatch(e -> e.runnerId().orElse("").equals(old.runnerId())));
        assertEquals("from " + from + " to " + to, model.queryLine.get());
    }

    @Test
    void aTimeThatCannotBeReadIsNamedAndNothingIsAsked() {
        backend.create();
        timeline.activate();
        model.range.set(TimeRange.CUSTOM);
        model.customFrom.set("yesterday");
        timeline.reload();
        assertEquals("“from” must look like 2030-01-31 14:05", model.filterProblem.get());
        assertEquals(2, model.events.size(), "what was shown stays");
        assertFalse(model.loading.get());
    }

    @Test
    void theChainBadgeTurnsBrokenWhenAStoredEventIsAltered() throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        exec(s, "echo", "two");
        timeline.activate();
        assertEquals(TimelineModel.ChainStatus.Kind.VERIFIED, model.chain.get().kind());

        AuditFill.tamper(backend.runtime.dataDir(), 3, "mallory");
        timeline.reload();
        assertEquals("content changed at seq 3", model.chain.get().text());
        assertEquals(TimelineModel.ChainStatus.Kind.BROKEN, model.chain.get().kind());
    }

    @Test
    void deletingTheNewestSignedEventsTurnsTheBadgeRed() throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        exec(s, "echo", "two");
        long signed = backend.runtime.checkpointAudit().orElseThrow().seq();
        timeline.activate();
        assertTrue(model.chain.get().text().startsWith("verified and signed"), model.chain.get().text());

        AuditFill.truncateAfter(backend.runtime.dataDir(), signed - 2);
        timeline.reload();
        // the events left still link up; the signed checkpoint, read again a moment after the events changed, is what
        // shows two are gone
        String truncated = String.format(Locale.ROOT, "truncated at seq %,d", signed - 1);
        OnFxThread.until(() -> model.chain.get().text().equals(truncated), WAIT, truncated);
        assertEquals(TimelineModel.ChainStatus.Kind.BROKEN, model.chain.get().kind());
        assertTrue(model.chain.get().detail().contains("the newest events were deleted"), model.chain.get().detail());
    }

    @Test
    void eventsHashedBeforeRfc8785AreNotAFalseAlarm() throws Exception {
        Session s = runnerWithSession();
        exec(s, "echo", "one");
        backend.runtime.checkpointAudit().orElseThrow();
        // an event as an earlier RunnerDesk wrote it: a fraction, hashed in the form used before RFC 8785, with the
        // seq up to which that form holds recorded as the upgrade records it
        long seq;
        try (Connection c = AuditFill.open(backend.runtime.dataDir()); Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.execute("BEGIN IMMEDIATE");
            String prev;
            try (ResultSet rs = st.executeQuery("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")) {
                seq = rs.getLong(1) + 1;
                prev = rs.getString(2);
            }
            Instant at = clock.instant();
            AuditEvent old = new AuditEvent(seq, EventTypes.POLICY_UPDATED, at, Optional.empty(), Optional.empty(), "local",
                    Map.of("ratio", new BigDecimal("1E-7")), prev, "");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (seq, event_type, timestamp, runner_id,"
                    + " session_id, actor, data, prev_hash, hash) VALUES (?, 'policy.updated', ?, NULL, NULL, 'local', ?, ?, ?)")) {
                insert.setLong(1, seq);
                insert.setLong(2, at.toEpochMilli());
                insert.setString(3, "{\"ratio\":0.0000001}");
                insert.setString(4, prev);
                insert.setString(5, AuditChain.legacyHash(old));
                insert.executeUpdate();
            }
            st.execute("UPDATE settings SET value = '" + seq + "' WHERE key = 'audit.legacy_form_until_seq'");
            st.execute("COMMIT");
        }
        assertTrue(backend.runtime.verifyAuditChain().isVerified(), backend.runtime.verifyAuditChain().describe());
        timeline.activate();
        assertTrue(model.chain.get().text().startsWith("verified"), model.chain.get().text());
        exec(s, "echo", "two"); // a live event linked to the old one
        OnFxThread.until(() -> model.events.size() == seq + 1, WAIT, "the live event above the old one");
        assertTrue(model.chain.get().text().startsWith("verified"), model.chain.get().text());
    }

    @Test
    void aLiveEventGoesInAtTheTopWhileFollowingAndKeepsTheChainChecked() {
        Session s = runnerWithSession();
        timeline.activate();
        assertEquals(3, model.events.size());
        exec(s, "echo", "live");
        OnFxThread.until(() -> model.events.size() == 4, WAIT, "the live command.executed");
        assertEquals(EventTypes.COMMAND_EXECUTED, model.events.get(0).eventType());
        assertEquals(4, model.total.get());
        assertEquals(new ChainVerification.Verified(1, 4, 4), model.loadedCheck.get().result());
    }

    @Test
    void scrolledAwayNewEventsWaitBehindTheJumpAndGoInOnIt() {
        Session s = runnerWithSession();
        timeline.activate();
        model.atTop.set(false); // what scrolling down does
        exec(s, "echo", "one");
        exec(s, "echo", "two");
        OnFxThread.until(() -> model.pendingCount.get() == 2, WAIT, "two events waiting");
        assertEquals(3, model.events.size(), "the rows did not move under the reader");
        timeline.jumpToLatest();
        assertEquals(5, model.events.size());
        assertEquals(0, model.pendingCount.get());
        assertTrue(model.following());
    }

    @Test
    void olderPagesLoadOnRequestAndTheChainHoldsAcrossThem() throws Exception {
        Runner r = backend.create();
        AuditFill.append(backend.runtime.dataDir(), 448, i -> new AuditFill.Row(EventTypes.COMMAND_EXECUTED,
                clock.instant(), r.runnerId(), "sess_000000000001", "local", Map.of("argv", List.of("echo", "n" + i))));
        timeline.activate();
        assertEquals(TimelineModel.PAGE, model.events.size());
        assertTrue(model.hasMore.get());
        timeline.loadMore();
        timeline.loadMore();
        assertEquals(450, model.events.size());
        assertFalse(model.hasMore.get());
        assertEquals(3, model.pagesLoaded.get());
        assertEquals(new ChainVerification.Verified(1, 450, 450), model.loadedCheck.get().result());
    }

    @Test
    void showSeqLoadsTheEventsAroundItSelectedAndTheJumpGoesBackToTheNewest() throws Exception {
        Runner r = backend.create();
        AuditFill.append(backend.runtime.dataDir(), 498, i -> new AuditFill.Row(EventTypes.COMMAND_EXECUTED,
                clock.instant(), r.runnerId(), "sess_000000000001", "local", Map.of("argv", List.of("echo", "n" + i))));
        timeline.activate();
        timeline.showSeq(100);
        assertEquals(100, model.selected.get().seq());
        assertEquals(100 + TimelineModel.ANCHOR_CONTEXT, model.events.get(0).seq(), "a few newer events above it");
        assertFalse(model.following(), "new events wait while the person reads there");

        timeline.jumpToLatest();
        assertEquals(0, model.anchorSeq.get());
        assertEquals(500, model.events.get(0).seq());
        assertTrue(model.following());
    }

    @Test
    void exportWritesWhatTheShownFilterSelectsAndSaysSo() throws Exception {
        Session a = runnerWithSession();
        Session b = runnerWithSession();
        exec(a, "echo", "a1");
        exec(b, "echo", "b1");
        exec(a, "echo", "a2");
        timeline.activate();
        timeline.showRunner(a.runnerId());
        model.types.add(EventTypes.COMMAND_EXECUTED);
        OnFxThread.until(() -> model.events.size() == 2, WAIT, "a's two commands");
        Path file = dataDir.resolve("a-" + System.nanoTime() + ".jsonl");
        timeline.export(file, ExportFormat.JSON_LINES);
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertEquals(a.runnerId(), json.readTree(line).get("runner_id").asText());
        }
        assertEquals("Exported 2 events to " + file.getFileName(), model.exportStatus.get());
        assertTrue(backend.notifier.history().contains("Export finished: 2 events to " + file.getFileName()));
    }

    @Test
    void hiddenItDoesNotLoadAndShownAgainItReloads() {
        Session s = runnerWithSession();
        timeline.activate();
        timeline.deactivate();
        exec(s, "echo", "while hidden");
        timeline.reload();
        assertEquals(3, model.events.size(), "a hidden timeline does not load");
        timeline.activate();
        assertEquals(4, model.events.size());
    }
}
