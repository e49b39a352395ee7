package dev.runnerdesk.embedded;

import dev.runnerdesk.cli.Main;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification.Problem;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.store.Database;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of damage the signed checkpoints exist to catch, each named with its seq by the runtime's verification
 * and by {@code runnerdesk audit verify} — the attacks run straight against the files, as someone with the data
 * directory would (the append-only triggers dropped first).
 */
class AuditSigningTest {
    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private static EmbeddedRuntime open(Path dataDir) {
        return new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new FakeProvider()));
    }

    /** Three runners of five events each, a checkpoint after each: checkpoints 1–3 sign seqs 5, 10 and 15. */
    private static void populate(Path dataDir) {
        try (EmbeddedRuntime runtime = open(dataDir)) {
            RunnerService service = runtime.serviceFor(Principal.localUser());
            for (int i = 0; i < 3; i++) {
                Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
                Session s = service.startSession(r.runnerId(), Optional.empty());
                service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "one")));
                service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "two")));
                assertEquals(5L * (i + 1), runtime.checkpointAudit().orElseThrow().seq());
            }
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve(Database.FILE_NAME));
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** {@code runnerdesk audit verify} on the data directory: exit status, then stdout. */
    private String[] cli(String... extra) {
        List<String> args = new ArrayList<>(List.of("audit", "verify", "--data-dir", data().toString()));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out + err.toString()};
    }

    private ChainVerification.Failed verifyFails(Problem problem, long seq) {
        ChainVerification result;
        try (EmbeddedRuntime runtime = open(data())) {
            result = runtime.verifyAuditChain();
        }
        ChainVerification.Failed failed = assertInstanceOf(ChainVerification.Failed.class, result);
        assertEquals(problem, failed.problem(), failed.describe());
        assertEquals(seq, failed.seq(), failed.describe());
        String[] cli = cli();
        assertEquals("1", cli[0], cli[1]);
        assertTrue(cli[1].contains(problem.label() + (seq > 0 ? " at seq " + seq : "")), cli[1]);
        assertTrue(cli[1].contains("NOT VERIFIED"), cli[1]);
        return failed;
    }

    @Test
    void anIntactTrailVerifiesAndIsSignedToItsHead() throws Exception {
        populate(data());
        String[] cli = cli();
        assertEquals("0", cli[0], cli[1]);
        assertTrue(cli[1].contains("verified seq 1–15 (15 events)") && cli[1].contains("signed to seq 15 (3 checkpoints checked"),
                cli[1]);
        Map<String, Object> json = Json.readObject(cli("--json")[1]);
        assertEquals(true, json.get("verified"));
        assertEquals(15, ((Number) json.get("signed_to_seq")).intValue());
        assertEquals("0", cli("--from", "6", "--to", "10")[0]);
        // the copy outside the database holds the same three checkpoints, one canonical line each
        List<String> lines = Files.readAllLines(data().resolve("audit/checkpoints.jsonl"));
        assertEquals(3, lines.size());
        assertEquals(lines.get(2), AuditChain.canonical(Json.readObject(lines.get(2))));
    }

    @Test
    void anEditedEventIsContentChangedAtItsSeq() throws Exception {
        populate(data());
        sql("DROP TRIGGER events_no_update", "UPDATE events SET data = replace(data, 'one', 'rm -rf') WHERE seq = 9");
        verifyFails(Problem.CONTENT_CHANGED, 9);
    }

    @Test
    void aDeletedEventInTheMiddleIsAGap() throws Exception {
        populate(data());
        sql("DROP TRIGGER events_no_delete", "DELETE FROM events WHERE seq = 12");
        verifyFails(Problem.GAP, 12);
    }

    @Test
    void deletingTheNewestEventsIsTruncationAfterTheCheckpoint() throws Exception {
        populate(data());
        sql("DROP TRIGGER events_no_delete", "DELETE FROM events WHERE seq > 11");
        ChainVerification.Failed failed = verifyFails(Problem.TRUNCATED, 12);
        assertEquals(3, failed.checkpoint());
        assertTrue(failed.detail().contains("ends at seq 11") && failed.detail().contains("signed seq 15"), failed.detail());
    }

    @Test
    void deletingTheNewestEventsAndTheirCheckpointsIsCaughtByTheCopyOutsideTheDatabase() throws Exception {
        populate(data());
        sql("DROP TRIGGER events_no_delete", "DROP TRIGGER checkpoints_no_delete",
                "DELETE FROM events WHERE seq > 7", "DELETE FROM checkpoints WHERE number > 1");
        ChainVerification.Failed failed = verifyFails(Problem.TRUNCATED, 8);
        assertEquals(3, failed.checkpoint());
    }

    @Test
    void aFullRewriteWithRecomputedHashesIsCaughtAtTheNextCheckpoint() throws Exception {
        populate(data());
        sql("DROP TRIGGER events_no_update");
        // the attacker changes event 7 and recomputes every hash after it with the public algorithm
        rewriteFrom(7, Map.of("argv", List.of("echo", "nothing to see")));
        try (EmbeddedRuntime runtime = open(data())) {
            var events = runtime.db.read(c -> runtime.audit.after(c, Optional.empty(), 0, 100));
            assertTrue(AuditChain.verify(events, AuditChain.GENESIS).isVerified(), "the links and hashes alone hold after a rewrite");
        }
        ChainVerification.Failed failed = verifyFails(Problem.REWRITTEN, 10);
        assertEquals(2, failed.checkpoint());
        assertTrue(failed.detail().contains("after seq 5"), failed.detail());
    }

    /** Replaces the data of event {@code seq} and rewrites its hash and every later hash and link. */
    private void rewriteFrom(long seq, Map<String, Object> data) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve(Database.FILE_NAME))) {
            String prev;
            try (PreparedStatement s = c.prepareStatement("SELECT hash FROM events WHERE seq = ?")) {
                s.setLong(1, seq - 1);
                try (ResultSet rs = s.executeQuery()) {
                    prev = rs.getString(1);
                }
            }
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT seq, event_type, timestamp, runner_id, session_id, actor, data FROM events WHERE seq >= ? ORDER BY seq")) {
                s.setLong(1, seq);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7)});
                    }
                }
            }
            for (Object[] r : rows) {
                long n = (Long) r[0];
                Map<String, Object> d = n == seq ? data : Json.readObject((String) r[6]);
                String hash = AuditChain.hash(prev, n, (String) r[1], Instant.ofEpochMilli((Long) r[2]), (String) r[3],
                        (String) r[4], (String) r[5], d);
                try (PreparedStatement u = c.prepareStatement("UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
                    u.setString(1, Json.write(d));
                    u.setString(2, prev);
                    u.setString(3, hash);
                    u.setLong(4, n);
                    u.executeUpdate();
                }
                prev = hash;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anotherValidDatabaseSwappedInIsForeign() throws Exception {
        populate(data());
        Path other = dir.resolve("other");
        populate(other);
        try (EmbeddedRuntime runtime = open(other)) {
            assertTrue(runtime.verifyAuditChain().isVerified(), "the other trail is valid on its own");
        }
        Files.copy(other.resolve(Database.FILE_NAME), data().resolve(Database.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        ChainVerification.Failed failed = verifyFails(Problem.FOREIGN_DATABASE, 0);
        assertTrue(failed.detail().contains("swapped"), failed.detail());
        try (EmbeddedRuntime runtime = open(data())) {
            runtime.serviceFor(Principal.localUser()).create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            assertTrue(runtime.checkpointAudit().isEmpty(), "a foreign database is never signed with this directory's key");
            AuditStatus status = runtime.serviceFor(Principal.localUser()).auditStatus();
            assertTrue(status.problem().orElse("").contains("swapped"), status.toString());
        }
    }

    @Test
    void aForgedCheckpointIsABadSignature() throws Exception {
        populate(data());
        // moving checkpoint 2 back to cover a shorter trail, without the key to sign it again
        sql("DROP TRIGGER checkpoints_no_update", "UPDATE checkpoints SET seq = 9, event_hash = (SELECT hash FROM events WHERE seq = 9)"
                + " WHERE number = 2");
        ChainVerification.Failed failed = verifyFails(Problem.BAD_SIGNATURE, 9);
        assertEquals(2, failed.checkpoint());
    }

    @Test
    void aCheckpointSignedWithAnotherKeyIsABadSignatureNamingTheKey() throws Exception {
        populate(data());
        KeyPair attacker = AuditSignatures.generate();
        String attackerKey = AuditSignatures.encodePublic(attacker.getPublic());
        AuditCheckpoint third = checkpoint(3);
        AuditCheckpoint unsigned = new AuditCheckpoint(3, third.chainId(), third.seq(), third.eventHash(), third.time(),
                third.prevCheckpointHash(), AuditSignatures.keyId(attackerKey), "");
        String signature = AuditSignatures.sign(attacker.getPrivate(), unsigned.payload());
        sql("DROP TRIGGER checkpoints_no_update", "UPDATE checkpoints SET key_id = '" + unsigned.keyId() + "', signature = '"
                + signature + "' WHERE number = 3");
        // the copy outside the database is rewritten the same way, so the two agree
        Path jsonl = data().resolve("audit/checkpoints.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(jsonl));
        lines.set(2, AuditChain.canonical(new AuditCheckpoint(3, third.chainId(), third.seq(), third.eventHash(), third.time(),
                third.prevCheckpointHash(), unsigned.keyId(), signature).toJson()));
        Files.write(jsonl, lines);
        ChainVerification.Failed failed = verifyFails(Problem.BAD_SIGNATURE, 15);
        assertTrue(failed.detail().contains(unsigned.keyId()), failed.detail());
    }

    @Test
    void aCheckpointDeletedFromTheDatabaseIsMissing() throws Exception {
        populate(data());
        sql("DROP TRIGGER checkpoints_no_delete", "DELETE FROM checkpoints WHERE number = 2");
        ChainVerification.Failed failed = verifyFails(Problem.CHECKPOINT_MISSING, 10);
        assertEquals(2, failed.checkpoint());
    }

    @Test
    void aCheckpointRewrittenInTheDatabaseDiffersFromItsCopyOutside() throws Exception {
        populate(data());
        Path jsonl = data().resolve("audit/checkpoints.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(jsonl));
        lines.set(1, lines.get(1).replace("\"seq\":10", "\"seq\":9"));
        Files.write(jsonl, lines);
        ChainVerification.Failed failed = verifyFails(Problem.BAD_SIGNATURE, 9);
        assertEquals(2, failed.checkpoint());
    }

    private AuditCheckpoint checkpoint(long number) {
        try (EmbeddedRuntime runtime = open(data())) {
            return runtime.serviceFor(Principal.localUser()).auditCheckpoints(number - 1, 1).get(0);
        }
    }

    @Test
    void checkpointsComeEveryThousandEventsEveryFiveMinutesAndAtShutdown() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(data(), clock, List.of(new FakeProvider()))) {
            RunnerService service = runtime.serviceFor(Principal.localUser());
            service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            runtime.auditTrail().signIfDue(); // the first events are signed at once
            assertEquals(2, service.auditStatus().lastCheckpoint().orElseThrow().seq());
            service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            runtime.auditTrail().signIfDue();
            assertEquals(2, service.auditStatus().lastCheckpoint().orElseThrow().seq(), "not yet: under 5 minutes, under 1,000");
            clock.advance(Duration.ofMinutes(5));
            runtime.auditTrail().signIfDue();
            assertEquals(4, service.auditStatus().lastCheckpoint().orElseThrow().seq(), "5 minutes with new events");
            for (int i = 0; i < 500; i++) {
                service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            }
            runtime.auditTrail().signIfDue();
            AuditStatus status = service.auditStatus();
            assertEquals(1004, status.lastCheckpoint().orElseThrow().seq(), "a thousand events");
            service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
        }
        try (EmbeddedRuntime runtime = open(data())) {
            AuditStatus status = runtime.serviceFor(Principal.localUser()).auditStatus();
            assertEquals(1006, status.lastCheckpoint().orElseThrow().seq(), "a clean shutdown signs the rest");
            assertEquals(0, status.unsignedEvents());
            assertTrue(runtime.verifyAuditChain().isVerified());
        }
    }

    @Test
    void theBackgroundSignerSignsEveryThousandEventsOffTheAppendPath() throws Exception {
        try (EmbeddedRuntime runtime = open(data())) {
            runtime.startBackgroundWork(Duration.ofHours(1));
            RunnerService service = runtime.serviceFor(Principal.localUser());
            for (int i = 0; i < 750; i++) {
                service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            }
            // 1,500 events: whenever the first checkpoint came (the signer's first tick races the appends), a thousand
            // unsigned events queue the next, so fewer than a thousand are left unsigned soon after
            Await.until(() -> service.auditStatus().unsignedEvents() < 1000, Duration.ofSeconds(60),
                    () -> "fewer than 1,000 unsigned events: " + service.auditStatus());
            AuditStatus status = service.auditStatus();
            assertEquals(1500, status.headSeq());
            assertTrue(status.unsignedEvents() < 1000, status.toString());
        }
    }

    @Test
    void theSigningKeyIsKeptOutsideTheDatabaseInAPrivateFile() throws Exception {
        populate(data());
        Path key = data().resolve("audit-key/signing-key");
        assertTrue(Files.exists(key));
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())));
        }
        String privateKey = Files.readAllLines(key).get(1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve(Database.FILE_NAME));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM settings WHERE value LIKE '%"
                     + privateKey.substring(20, 40) + "%'")) {
            assertEquals(0, rs.getInt(1), "no part of the private key is in the database");
        }
        for (Path f : List.of(data().resolve("audit/chain.json"), data().resolve("audit/checkpoints.jsonl"))) {
            assertFalse(Files.readString(f).contains(privateKey.substring(20, 40)), f.toString());
        }
    }

    @Test
    void aLostKeyIsReplacedAndTheOldCheckpointsStillVerifyUnderTheRetiredKey() throws Exception {
        populate(data());
        Files.delete(data().resolve("audit-key/signing-key"));
        try (EmbeddedRuntime runtime = open(data())) {
            RunnerService service = runtime.serviceFor(Principal.localUser());
            String oldKey = service.auditStatus().publicKey().orElseThrow();
            service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            AuditCheckpoint signed = runtime.checkpointAudit().orElseThrow();
            AuditStatus status = service.auditStatus();
            assertFalse(oldKey.equals(status.publicKey().orElseThrow()));
            assertEquals(List.of(oldKey), status.retiredPublicKeys());
            assertEquals(status.keyId().orElseThrow(), signed.keyId());
            assertTrue(runtime.verifyAuditChain().isVerified(), runtime.verifyAuditChain().describe());
            assertTrue(service.events(EventQuery.all(5)).events().stream()
                    .anyMatch(e -> e.eventType().equals(EventTypes.AUDIT_KEY_REPLACED)));
        }
    }

    @Test
    void eventsHashedBeforeRfc8785KeepVerifyingUnderTheOldFormUpToTheRecordedSeq() throws Exception {
        Map<String, Object> fractions = Map.of("ratio", new BigDecimal("0.0000001"), "big", new BigDecimal("1E+21"));
        assertFalse(AuditChain.canonical(fractions).equals("{\"big\":1000000000000000000000,\"ratio\":0.0000001}"),
                "the two forms differ for these numbers");
        try (EmbeddedRuntime runtime = open(data())) {
            runtime.write(tx -> tx.event("runner.created", null, null, Principal.localUser(), Map.of("n", 1)));
            runtime.write(tx -> tx.event("policy.updated", null, null, Principal.localUser(), fractions));
            runtime.write(tx -> tx.event("runner.created", null, null, Principal.localUser(), Map.of("n", 3)));
        }
        // make it a database from before: every hash in the old form, no chain, no checkpoints, no anchor
        sql("DROP TRIGGER events_no_update", "DROP TRIGGER checkpoints_no_delete", "DELETE FROM checkpoints",
                "DELETE FROM settings WHERE key LIKE 'audit.%'");
        rehashInTheOldForm();
        deleteRecursively(data().resolve("audit"));
        deleteRecursively(data().resolve("audit-key"));
        try (EmbeddedRuntime runtime = open(data())) {
            AuditStatus status = runtime.serviceFor(Principal.localUser()).auditStatus();
            assertEquals(2, status.legacyFormUntilSeq(), "the newest event whose two forms differ");
            runtime.write(tx -> tx.event("policy.updated", null, null, Principal.localUser(), fractions));
            assertTrue(runtime.verifyAuditChain().isVerified(), runtime.verifyAuditChain().describe());
        }
        // and a change to an old event is still caught
        sql("UPDATE events SET data = replace(data, '1e-7', '2e-7') WHERE seq = 2");
        verifyFails(Problem.CONTENT_CHANGED, 2);
    }

    private void rehashInTheOldForm() throws Exception {
        List<AuditEvent> events;
        try (EmbeddedRuntime runtime = open(data())) {
            events = runtime.db.read(c -> runtime.audit.after(c, Optional.empty(), 0, 100));
        }
        String prev = AuditChain.GENESIS;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve(Database.FILE_NAME))) {
            for (AuditEvent e : events) {
                AuditEvent linked = new AuditEvent(e.seq(), e.eventType(), e.timestamp(),
                        e.runnerId(), e.sessionId(), e.actor(), e.data(), prev, "");
                String hash = AuditChain.legacyHash(linked);
                try (PreparedStatement u = c.prepareStatement("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?")) {
                    u.setString(1, prev);
                    u.setString(2, hash);
                    u.setLong(3, e.seq());
                    u.executeUpdate();
                }
                prev = hash;
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
