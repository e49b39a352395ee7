package dev.runnerdesk.bench;

import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.AuditFill;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code audit verify} of 1,000,000 events and their 1,000 signed checkpoints (the whole check: every event's
 * canonical JSON and hash, every link, every signature, the copy outside the database) against a floor that reads
 * the same rows with one SELECT and hashes each row's stored text once with SHA-256 — the least any check of every
 * event must do.
 */
final class AuditVerifyBench {
    static final int EVENTS = 1_000_000;
    static final int PER_CHECKPOINT = 1_000;

    private AuditVerifyBench() {
    }

    /** A data directory with the events, a checkpoint after every thousand (kept between runs: filling takes a while). */
    static Path data(Path out) throws Exception {
        Path data = out.resolve("verify-1m");
        Path done = data.resolve("filled");
        if (Files.exists(done)) {
            return data;
        }
        BenchMain.deleteTree(data);
        String[] types = {EventTypes.COMMAND_EXECUTED, EventTypes.COMMAND_EXECUTED, EventTypes.COMMAND_DENIED, EventTypes.SESSION_STARTED};
        Instant start = Instant.now().minusSeconds(EVENTS);
        try (EmbeddedRuntime runtime = open(data)) {
            for (int batch = 0; batch < EVENTS / PER_CHECKPOINT; batch++) {
                int base = batch * PER_CHECKPOINT;
                AuditFill.append(data, PER_CHECKPOINT, i -> new AuditFill.Row(types[(base + i) % types.length],
                        start.plusSeconds(base + i), "runner_" + String.format("%012x", (base + i) % 100),
                        "sess_" + String.format("%012x", (base + i) / 50), "local",
                        Map.of("command_id", "cmd_" + String.format("%012x", base + i), "argv", List.of("echo", Integer.toString(base + i)),
                                "exit_code", 0, "duration_ms", 3, "stdout_bytes", 6)));
                runtime.checkpointAudit().orElseThrow();
            }
        }
        Files.writeString(done, EVENTS + "\n");
        return data;
    }

    private static EmbeddedRuntime open(Path data) {
        return new EmbeddedRuntime(data, Clock.systemUTC(), List.of(new FakeProvider()));
    }

    /** One full verification, in ms; fails unless it verifies to the last event, signed. */
    static double ours(Path data) throws Exception {
        try (EmbeddedRuntime runtime = open(data)) {
            long started = System.nanoTime();
            ChainVerification result = runtime.verifyAuditChain();
            double ms = (System.nanoTime() - started) / 1e6;
            if (!(result instanceof ChainVerification.Verified v) || v.count() != EVENTS || v.signedToSeq() != EVENTS
                    || v.checkpoints() != EVENTS / PER_CHECKPOINT) {
                throw new IllegalStateException("the benchmark trail did not verify: " + result.describe());
            }
            return ms;
        }
    }

    /** The floor: every row read with one SELECT and its stored text hashed once, in ms. */
    static double floor(Path data) throws Exception {
        long started = System.nanoTime();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long rows = 0;
        try (Connection c = AuditFill.open(data); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, event_type, timestamp, runner_id, session_id, actor, data, prev_hash, hash"
                     + " FROM events ORDER BY seq")) {
            while (rs.next()) {
                sha.update(rs.getString(9).getBytes(StandardCharsets.US_ASCII));
                String row = rs.getLong(1) + rs.getString(2) + rs.getLong(3) + rs.getString(4) + rs.getString(5) + rs.getString(6)
                        + rs.getString(7);
                sha.digest(row.getBytes(StandardCharsets.UTF_8));
                rows++;
            }
        }
        if (rows != EVENTS) {
            throw new IllegalStateException("read " + rows + " rows");
        }
        return (System.nanoTime() - started) / 1e6;
    }
}
