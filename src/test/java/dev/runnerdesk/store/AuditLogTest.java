package dev.runnerdesk.store;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditLogTest {
    @TempDir
    Path dataDir;

    /** Three runners with a session and two commands each: 3 × 5 = 15 events. */
    private List<Runner> populate() {
        try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir)) {
            RunnerService service = runtime.serviceFor(Principal.localUser());
            for (int i = 0; i < 3; i++) {
                Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
                Session s = service.startSession(r.runnerId(), Optional.empty());
                service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "one")));
                service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "two \"quoted\" ünïcode")));
            }
            return service.list(RunnerQuery.firstPage()).runners();
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME));
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void everythingIsThereAfterReopeningAndTheChainVerifies() {
        List<Runner> written = populate();
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(dataDir)) {
            RunnerService service = reopened.serviceFor(Principal.localUser());
            assertEquals(written, service.list(RunnerQuery.firstPage()).runners());
            assertEquals(15, service.events(EventQuery.all(1)).total());
            ChainVerification result = reopened.verifyAuditChain();
            ChainVerification.Verified verified = assertInstanceOf(ChainVerification.Verified.class, result);
            assertEquals(List.of(1L, 15L, 15L), List.of(verified.fromSeq(), verified.toSeq(), verified.count()));
            assertEquals(15, verified.signedToSeq(), "closing the runtime that wrote them signed the last event");
            assertTrue(reopened.verifyAuditChain(5, 9).isVerified());
        }
    }

    @Test
    void seqsAreGaplessAndEachEventLinksToTheOneBefore() {
        populate();
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(dataDir)) {
            var events = reopened.serviceFor(Principal.localUser()).events(EventQuery.all(100)).events();
            for (int i = 0; i < events.size() - 1; i++) {
                assertEquals(events.get(i).seq() - 1, events.get(i + 1).seq());
                assertEquals(events.get(i + 1).hash(), events.get(i).prevHash());
            }
            assertEquals(AuditChain.GENESIS, events.get(events.size() - 1).prevHash());
        }
    }

    @Test
    void aLoneSurrogateIsStoredAsTheReplacementCharacterAndTheChainStillVerifies() {
        String emojis = "a" + "\uD83D\uDE00".repeat(600); // cut at 1,024 characters, between the halves of an emoji
        try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(dataDir)) {
            RunnerService service = runtime.serviceFor(Principal.localUser());
            Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            Session s = service.startSession(r.runnerId(), Optional.empty());
            service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "x\uD800y", emojis)));
        }
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(dataDir)) {
            assertInstanceOf(ChainVerification.Verified.class, reopened.verifyAuditChain());
            var executed = reopened.serviceFor(Principal.localUser()).events(EventQuery.all(100)).events().stream()
                    .filter(e -> e.eventType().equals("command.executed")).findFirst().orElseThrow();
            List<?> argv = (List<?>) executed.data().get("argv");
            assertEquals("x\uFFFDy", argv.get(1));
            assertTrue(((String) argv.get(2)).startsWith("a" + "\uD83D\uDE00".repeat(511) + "\uFFFD"), () -> argv.get(2).toString());
        }
    }

    @Test
    void eventsCannotBeChangedThroughTheDatabaseByMistake() {
        populate();
        SQLException e = assertThrows(SQLException.class, () -> sql("UPDATE events SET actor = 'mallory' WHERE seq = 3"));
        assertTrue(e.getMessage().contains("append-only"));
        assertThrows(SQLException.class, () -> sql("DELETE FROM events WHERE seq = 3"));
    }

    @Test
    void anAlteredEventIsNamedBySeq() throws SQLException {
        populate();
        sql("DROP TRIGGER events_no_update");
        sql("UPDATE events SET data = replace(data, 'one', 'rm -rf') WHERE seq = 9");
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(dataDir)) {
            ChainVerification result = reopened.verifyAuditChain();
            ChainVerification.Failed broken = assertInstanceOf(ChainVerification.Failed.class, result);
            assertEquals(ChainVerification.Problem.CONTENT_CHANGED, broken.problem());
            assertEquals(9, broken.seq());
            assertTrue(reopened.verifyAuditChain(1, 8).isVerified(), "the range before it still verifies");
            assertInstanceOf(ChainVerification.Failed.class, reopened.verifyAuditChain(9, 11));
        }
    }

    @Test
    void aRewrittenHashBreaksTheLinkOfTheNextEvent() throws SQLException {
        populate();
        sql("DROP TRIGGER events_no_update");
        sql("UPDATE events SET actor = 'mallory', hash = '" + "ab".repeat(32) + "' WHERE seq = 7");
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(dataDir)) {
            assertEquals(7, assertInstanceOf(ChainVerification.Failed.class, reopened.verifyAuditChain()).seq());
            // checking from 8 alone still notices 8 does not link to what is stored as 7
            assertEquals(8, assertInstanceOf(ChainVerification.Failed.class, reopened.verifyAuditChain(8, 15)).seq());
        }
    }

    @Test
    void aMissingEventIsAGapAtItsSeq() throws SQLException {
        populate();
        sql("DROP TRIGGER events_no_delete");
        sql("DELETE FROM events WHERE seq = 12");
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(dataDir)) {
            assertEquals(ChainVerification.gap(12), reopened.verifyAuditChain());
        }
    }

    @Test
    void theSchemaVersionIsRecordedAndANewerFileIsRefused() throws SQLException {
        populate();
        sql("PRAGMA user_version = 99");
        var e = assertThrows(RunnerException.Unavailable.class, () -> EmbeddedRuntimes.open(dataDir));
        assertTrue(e.getMessage().contains("newer RunnerDesk"), e.getMessage());
    }
}
