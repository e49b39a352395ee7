package dev.runnerdesk.store;

import dev.runnerdesk.core.RunnerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite file of a data directory: WAL, foreign keys, {@code synchronous=FULL} so a committed
 * transaction survives a crash or power loss. One connection, used by one thread at a time; writes
 * start with {@code BEGIN IMMEDIATE} so other processes on the same file (the CLI beside the app)
 * serialize with us instead of failing half-way.
 */
public final class Database implements AutoCloseable {
    public static final String FILE_NAME = "runnerdesk.db";

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Path file;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    public static Database open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 15000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                s.execute("PRAGMA foreign_keys = ON");
            }
            c.setAutoCommit(true);
            Database db = new Database(file, c);
            Migrations.apply(db);
            return db;
        } catch (SQLException | IOException e) {
            throw new RunnerException.Unavailable("cannot open the data file " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A hook run after a write commits, while this process still holds the database, so hooks run in commit order. */
    @FunctionalInterface
    public interface AfterCommit {
        void run();
    }

    /** A write transaction. {@link RunnerException}s thrown inside roll it back and pass through. */
    public <T> T write(Work<T> work) {
        return write(work, new ArrayList<>());
    }

    /** A write transaction whose {@code afterCommit} hooks run once it has committed. */
    public <T> T write(Work<T> work, List<AfterCommit> afterCommit) {
        lock.lock();
        try {
            exec("BEGIN IMMEDIATE");
            T result;
            try {
                result = work.run(connection);
                exec("COMMIT");
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly();
                throw e;
            }
            afterCommit.forEach(AfterCommit::run);
            return result;
        } catch (SQLException e) {
            throw storageError(e);
        } finally {
            lock.unlock();
        }
    }

    /** A read; it sees the last committed state. */
    public <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw storageError(e);
        } finally {
            lock.unlock();
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private void rollbackQuietly() {
        try {
            exec("ROLLBACK");
        } catch (SQLException ignored) {
            // the transaction is already gone; SQLite rolled it back itself
        }
    }

    private RunnerException storageError(SQLException e) {
        return new RunnerException.Unavailable("the data file " + file + " could not be used: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing; nothing left to protect
        } finally {
            lock.unlock();
        }
    }
}
