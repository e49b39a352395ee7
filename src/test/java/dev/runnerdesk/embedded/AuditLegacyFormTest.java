package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.AuditFill;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Which events a new chain reads in the form used before RFC 8785: those that were hashed in it, and no others. */
class AuditLegacyFormTest {
    @TempDir
    Path dataDir;

    private EmbeddedRuntime open() {
        return new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new FakeProvider()));
    }

    @Test
    void eventsHashedInTheRfc8785FormBeforeTheFirstCheckpointAreNotLegacy() {
        try (EmbeddedRuntime runtime = open()) {
            // 1e21 is written differently in the two forms ("1e+21" and "1000000000000000000000")
            runtime.write(tx -> tx.event("test.numbers", null, null, Principal.localUser(), Map.of("a", 0.1, "b", 1e21)));
            runtime.checkpointAudit().orElseThrow();
            assertEquals(0, runtime.serviceFor(Principal.localUser()).auditStatus().legacyFormUntilSeq());
            assertInstanceOf(ChainVerification.Verified.class, runtime.verifyAuditChain());
        }
    }

    @Test
    void eventsHashedInTheEarlierFormStayLegacyAndLaterOnesAreNot() throws Exception {
        open().close(); // the database, with no events and so no chain yet
        // as a version before RFC 8785 wrote them: 1e-7 was "0.0000001"; an integer is the same in both forms
        appendInEarlierForm(1, Map.of("n", 1));
        appendInEarlierForm(2, Map.of("a", 1e-7));
        appendInEarlierForm(3, Map.of("n", 7));
        try (EmbeddedRuntime runtime = open()) {
            runtime.write(tx -> tx.event("test.numbers", null, null, Principal.localUser(), Map.of("a", 1e-7)));
            runtime.checkpointAudit().orElseThrow();
            assertEquals(2, runtime.serviceFor(Principal.localUser()).auditStatus().legacyFormUntilSeq());
            ChainVerification.Verified verified = assertInstanceOf(ChainVerification.Verified.class, runtime.verifyAuditChain());
            assertEquals(4, verified.count());
        }
    }

    /** Appends event {@code seq} after the stored head, hashed in the earlier form, straight through JDBC. */
    private void appendInEarlierForm(long seq, Map<String, Object> data) throws Exception {
        try (Connection c = AuditFill.open(dataDir)) {
            String prev = AuditChain.GENESIS;
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT hash FROM events WHERE seq = " + (seq - 1))) {
                if (rs.next()) {
                    prev = rs.getString(1);
                }
            }
            Instant at = AuditChain.normalize(Instant.now());
            AuditEvent event = new AuditEvent(seq, "test.legacy", at, Optional.empty(), Optional.empty(), "local", data, prev, "");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (seq, event_type, timestamp, runner_id, "
                    + "session_id, actor, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)")) {
                insert.setLong(1, seq);
                insert.setString(2, event.eventType());
                insert.setLong(3, at.toEpochMilli());
                insert.setString(4, null);
                insert.setString(5, null);
                insert.setString(6, event.actor());
                insert.setString(7, Json.write(data));
                insert.setString(8, prev);
                insert.setString(9, AuditChain.legacyHash(event));
                insert.executeUpdate();
            }
        }
    }
}
