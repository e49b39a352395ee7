package dev.runnerdesk.bench;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.store.AuditLog;
import dev.runnerdesk.store.Database;
import dev.runnerdesk.store.EventDraft;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A durable, hash-chained audit append (one transaction per event, as the service writes them) against raw
 * JDBC inserts of the same row — same columns and values, a precomputed hash — on a file with the same
 * pragmas (WAL, synchronous=FULL), also one {@code BEGIN IMMEDIATE … COMMIT} per row.
 */
@State(Scope.Benchmark)
public class EventAppendBench {
    @Param("target/bench/work")
    public String workDir;

    private Database db;
    private final AuditLog audit = new AuditLog();
    private Connection raw;
    private PreparedStatement insert;
    private long rawSeq;
    private final Map<String, Object> data = commandExecuted();
    private String dataJson;
    private String precomputedHash;

    static Map<String, Object> commandExecuted() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command_id", "cmd_0123456789ab");
        data.put("argv", List.of("echo", "hello"));
        data.put("exit_code", 0);
        data.put("duration_ms", 3);
        data.put("stdout_bytes", 6);
        data.put("stderr_bytes", 0);
        data.put("timed_out", false);
        data.put("truncated", false);
        return data;
    }

    @Setup
    public void open() throws Exception {
        Path base = Files.createDirectories(Path.of(workDir)).resolve("append-" + System.nanoTime());
        db = Database.open(base.resolve("ours"));
        Path floorDir = base.resolve("floor");
        Database.open(floorDir).close(); // the same schema, indexes and triggers
        raw = DriverManager.getConnection("jdbc:sqlite:" + floorDir.resolve(Database.FILE_NAME));
        try (Statement s = raw.createStatement()) {
            s.execute("PRAGMA busy_timeout = 15000");
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
            s.execute("PRAGMA foreign_keys = ON");
        }
        insert = raw.prepareStatement("INSERT INTO events (seq, event_type, timestamp, runner_id, session_id, actor, data,"
                + " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)");
        StringBuilder json = new StringBuilder();
        AuditChain.writeCanonical(json, data);
        dataJson = json.toString();
        precomputedHash = AuditChain.hash(AuditChain.GENESIS, 1, EventTypes.COMMAND_EXECUTED, AuditChain.normalize(Instant.now()),
                "runner_0123456789ab", "sess_0123456789ab", "local", data);
    }

    @TearDown
    public void close() throws SQLException {
        db.close();
        insert.close();
        raw.close();
    }

    @Benchmark
    public Object ours() {
        return db.write(c -> audit.append(c, new EventDraft(EventTypes.COMMAND_EXECUTED, Instant.now(),
                Optional.of("runner_0123456789ab"), Optional.of("sess_0123456789ab"), "local", data)));
    }

    @Benchmark
    public int floor() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        insert.setLong(1, ++rawSeq);
        insert.setString(2, EventTypes.COMMAND_EXECUTED);
        insert.setLong(3, System.currentTimeMillis());
        insert.setString(4, "runner_0123456789ab");
        insert.setString(5, "sess_0123456789ab");
        insert.setString(6, "local");
        insert.setString(7, dataJson);
        insert.setString(8, precomputedHash);
        insert.setString(9, precomputedHash);
        int n = insert.executeUpdate();
        try (Statement s = raw.createStatement()) {
            s.execute("COMMIT");
        }
        return n;
    }
}
