package dev.runnerdesk.store;

import dev.runnerdesk.core.RunnerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Concurrent writes share commits, yet each one still stands or falls on its own. */
class DatabaseGroupCommitTest {
    private static final int WRITERS = 16;
    private static final int ROUNDS = 20;

    @TempDir
    Path dataDir;

    @Test
    void aFailedWriteAmongConcurrentOnesIsRolledBackAloneAndTheOthersCommitWithTheirHooks() throws Exception {
        try (Database db = Database.open(dataDir)) {
            AtomicInteger hooks = new AtomicInteger();
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int writer = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < ROUNDS; round++) {
                        String key = "w" + writer + "-" + round;
                        boolean fails = writer == 3;
                        try {
                            db.write(c -> {
                                put(c, key);
                                if (fails) {
                                    throw new RunnerException.Conflict("refused " + key);
                                }
                                return null;
                            }, List.of(hooks::incrementAndGet));
                            if (fails) {
                                throw new AssertionError("the failing write returned");
                            }
                        } catch (RunnerException.Conflict expected) {
                            assertEquals("refused " + key, expected.getMessage());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals((WRITERS - 1) * ROUNDS, hooks.get(), "every committed write ran its hooks, the failed ones none");
            assertEquals(Integer.valueOf((WRITERS - 1) * ROUNDS), db.read(c -> count(c, "w%")));
            assertEquals(Integer.valueOf(0), db.read(c -> count(c, "w3-%")), "the failed writes left nothing behind");
        }
    }

    @Test
    void aStorageErrorInsideAWriteIsAnUnavailableErrorForThatCaller() {
        try (Database db = Database.open(dataDir)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> db.write(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO no_such_table VALUES (1)")) {
                    return s.executeUpdate();
                }
            }));
            assertInstanceOf(RunnerException.Unavailable.class, e);
            db.write(c -> {
                put(c, "after");
                return null;
            });
            assertEquals(Integer.valueOf(1), db.read(c -> count(c, "after")));
        }
    }

    private static void put(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO settings (key, value) VALUES (?, 'v')")) {
            s.setString(1, key);
            s.executeUpdate();
        }
    }

    private static int count(Connection c, String like) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM settings WHERE key LIKE ?")) {
            s.setString(1, like);
            try (ResultSet rs = s.executeQuery()) {
                return rs.getInt(1);
            }
        }
    }
}
