package dev.runnerdesk.bench;

import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.store.Database;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The timeline's first page — the 500 newest of 1,000,000 stored events — through the service and as the raw query. */
@State(Scope.Benchmark)
public class TimelinePageBench {
    static final int PAGE = 500;

    /** A data directory with a million events in it (BenchMain fills it once). */
    @Param("target/bench/timeline")
    public String dataDir;

    private EmbeddedRuntime runtime;
    private RunnerService service;
    private Connection raw;
    private PreparedStatement newest;

    @Setup
    public void open() throws SQLException {
        runtime = new EmbeddedRuntime(Path.of(dataDir), Clock.systemUTC(), List.of(new FakeProvider()));
        service = runtime.serviceFor(Principal.localUser());
        raw = DriverManager.getConnection("jdbc:sqlite:" + Path.of(dataDir).resolve(Database.FILE_NAME));
        newest = raw.prepareStatement("SELECT seq, event_type, timestamp, runner_id, session_id, actor, data, prev_hash, hash"
                + " FROM events ORDER BY seq DESC LIMIT " + PAGE);
    }

    @TearDown
    public void close() throws SQLException {
        newest.close();
        raw.close();
        runtime.close();
    }

    @Benchmark
    public EventPage ours() {
        return service.events(EventQuery.all(PAGE));
    }

    @Benchmark
    public List<Object[]> floor() throws SQLException {
        List<Object[]> rows = new ArrayList<>(PAGE);
        try (ResultSet rs = newest.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)});
            }
        }
        return rows;
    }
}
