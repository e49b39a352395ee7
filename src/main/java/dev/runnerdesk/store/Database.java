package dev.runnerdesk.store;

import dev.runnerdesk.core.RunnerException;

import java.io.IOException;
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
 * transaction survives a crash or power loss. One connection, used by one thread at a time (concurrent
 * writes are committed in groups, see {@link #write(Work, List)}); writes start with {@code BEGIN IMMEDIATE}
 * so other processes on the same file (the CLI beside the app) serialize with us instead of failing half-way.
 */
public final class Database implements AutoCloseable {
    public static final String FILE_NAME = "runnerdesk.db";

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    /** Writes waiting for the next group commit. */
    private final List<PendingWrite<?>> waiting = new ArrayList<>();
    private final Path file;

    /** A second connection for {@link #snapshotRead}: WAL lets it read while a write commits on the first. */
    private final Connection snapshots;
    private final ReentrantLock snapshotLock = new ReentrantLock();

    private Database(Path file, Connection connection, Connection snapshots) {
        this.file = file;
        this.connection = connection;
        this.snapshots = snapshots;
    }

    public static Database open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            PrivateFiles.createDirectories(dataDir);
            // SQLite would create the file 0644; its -wal and -shm files take the database file's permissions
            PrivateFiles.createFileIfMissing(file);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 15000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                s.execute("PRAGMA foreign_keys = ON");
            }
            c.setAutoCommit(true);
            Connection snapshots = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = snapshots.createStatement()) {
                s.execute("PRAGMA busy_timeout = 15000");
            }
            Database db = new Database(file, c, snapshots);
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

    /**
     * A write transaction whose {@code afterCommit} hooks run once it has committed.
     *
     * <p>Writes from several threads are committed in groups: whoever holds the database runs every write
     * waiting at that moment, each inside a savepoint of its own (so one that fails is rolled back alone), and
     * commits them with one {@code COMMIT} — one sync to disk for the group instead of one each. Every caller
     * still returns only once its own write is durable, or throws if it is not.
     */
    public <T> T write(Work<T> work, List<AfterCommit> afterCommit) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a write transaction cannot start inside another");
        }
        PendingWrite<T> mine = new PendingWrite<>(work, afterCommit);
        synchronized (waiting) {
            waiting.add(mine);
        }
        while (true) {
            lock.lock();
            try {
                List<PendingWrite<?>> group;
                synchronized (waiting) {
                    if (mine.done) {
                        break;
                    }
                    group = new ArrayList<>(waiting);
                    waiting.clear();
                }
                commitGroup(group);
            } finally {
                lock.unlock();
            }
        }
        return mine.outcome();
    }

    /** One caller's write, waiting for a group commit; its fields are read once {@code done}, under the lock. */
    private static final class PendingWrite<T> {
        final Work<T> work;
        final List<AfterCommit> afterCommit;
        T result;
        Throwable failure;
        volatile boolean done;

        PendingWrite(Work<T> work, List<AfterCommit> afterCommit) {
            this.work = work;
            this.afterCommit = afterCommit;
        }

        T outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }

    /** Runs a group of writes in one transaction; called holding the lock. */
    private void commitGroup(List<PendingWrite<?>> group) {
        try {
            exec("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            finish(group, storageError(e));
            return;
        }
        if (group.size() == 1) {
            commitAlone(group.get(0));
            return;
        }
        List<PendingWrite<?>> written = new ArrayList<>();
        for (PendingWrite<?> w : group) {
            if (!runInSavepoint(w)) {
                // its failure took the whole transaction with it: what ran before it is lost (those callers get an
                // error, never a false success); what had not run yet waits for the next group
                rollbackQuietly();
                finish(written, new RunnerException.Unavailable("the data file " + file
                        + " could not be written; the write was rolled back"));
                w.done = true;
                synchronized (waiting) {
                    waiting.addAll(0, group.subList(group.indexOf(w) + 1, group.size()));
                }
                return;
            }
            if (w.failure == null) {
                written.add(w);
            }
        }
        try {
            exec("COMMIT");
        } catch (SQLException e) {
            rollbackQuietly();
            finish(written, storageError(e));
            group.forEach(w -> w.done = true);
            return;
        }
        for (PendingWrite<?> w : written) {
            try {
                w.afterCommit.forEach(AfterCommit::run);
            } catch (RuntimeException | Error e) {
                w.failure = e;
            }
        }
        group.forEach(w -> w.done = true);
    }

    /** A write with no company: no savepoint needed, a failure rolls back the transaction. */
    private <T> void commitAlone(PendingWrite<T> w) {
        try {
            w.result = w.work.run(connection);
            exec("COMMIT");
        } catch (RuntimeException | SQLException | Error e) {
            rollbackQuietly();
            w.failure = e instanceof SQLException sql ? storageError(sql) : e;
            w.done = true;
            return;
        }
        try {
            w.afterCommit.forEach(AfterCommit::run);
        } catch (RuntimeException | Error e) {
            w.failure = e;
        }
        w.done = true;
    }

    /** Runs one write in a savepoint; false if its failure ended the whole transaction. */
    private <T> boolean runInSavepoint(PendingWrite<T> w) {
        try {
            exec("SAVEPOINT one_write");
        } catch (SQLException e) {
            w.failure = storageError(e);
            return false;
        }
        try {
            w.result = w.work.run(connection);
            exec("RELEASE SAVEPOINT one_write");
            return true;
        } catch (RuntimeException | SQLException | Error e) {
            w.failure = e instanceof SQLException sql ? storageError(sql) : e;
            try {
                exec("ROLLBACK TO SAVEPOINT one_write");
                exec("RELEASE SAVEPOINT one_write");
                return true;
            } catch (SQLException gone) {
                return false;
            }
        }
    }

    private static void finish(List<PendingWrite<?>> writes, RuntimeException failure) {
        for (PendingWrite<?> w : writes) {
            w.failure = failure;
            w.done = true;
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

    /**
     * A read on a connection of its own: it sees the last committed state without waiting for a write that is
     * committing (a sync to disk takes milliseconds). Not for reads that must be ordered with this process's
     * writes (the event bus uses {@link #read}); inside a write, the write's own connection is used.
     */
    public <T> T snapshotRead(Work<T> work) {
        if (lock.isHeldByCurrentThread()) {
            return read(work);
        }
        snapshotLock.lock();
        try {
            return work.run(snapshots);
        } catch (SQLException e) {
            throw storageError(e);
        } finally {
            snapshotLock.unlock();
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
        snapshotLock.lock();
        try {
            snapshots.close();
            connection.close();
        } catch (SQLException ignored) {
            // closing; nothing left to protect
        } finally {
            snapshotLock.unlock();
            lock.unlock();
        }
    }
}
