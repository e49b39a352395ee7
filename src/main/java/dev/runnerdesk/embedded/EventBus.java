package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.OutputChunk;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.store.AuditLog;
import dev.runnerdesk.store.Database;

import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers committed audit events to live subscribers, in seq order, each subscriber on its own serial
 * queue so a slow one never holds up the others. Events written by this process are published right
 * after their commit (under the database lock, hence in seq order); events written by another process
 * on the same file (the CLI beside the app) arrive through {@link #catchUp()}.
 */
final class EventBus implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());
    private static final int REPLAY_CHUNK = 5_000;

    private final Database db;
    private final AuditLog log;
    private final List<Sub> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runnerdesk-events");
        t.setDaemon(true);
        return t;
    });
    private long lastPublished;

    EventBus(Database db, AuditLog log) {
        this.db = db;
        this.log = log;
        this.lastPublished = db.read(log::lastSeq);
    }

    /** Called after a commit while the database lock is held. */
    void publish(List<AuditEvent> events) {
        for (AuditEvent event : events) {
            synchronized (this) {
                if (event.seq() <= lastPublished) {
                    continue;
                }
                lastPublished = event.seq();
            }
            for (Sub sub : subscribers) {
                sub.offer(event);
            }
        }
    }

    /** Hands a command's output to the subscribers of its runner; output is live only, never replayed. */
    void publishOutput(OutputChunk chunk) {
        for (Sub sub : subscribers) {
            if (sub.runnerId.isEmpty() || sub.runnerId.get().equals(chunk.runnerId())) {
                sub.enqueue(chunk);
            }
        }
    }

    /** Publishes events that other processes committed since the last publish. */
    void catchUp() {
        db.read(c -> {
            long from;
            synchronized (this) {
                from = lastPublished;
            }
            if (log.lastSeq(c) > from) {
                publish(log.after(c, Optional.empty(), from, REPLAY_CHUNK));
            }
            return null;
        });
    }

    Subscription subscribe(Optional<String> runnerId, long afterSeq, EventListener listener) {
        Sub sub = new Sub(runnerId, listener);
        // registering under the database lock: no event can be committed between the replay read and the add
        db.read(c -> {
            long start;
            synchronized (this) {
                start = afterSeq >= 0 ? afterSeq : lastPublished;
                sub.lastDelivered = start;
            }
            listener.onSubscribed(start);
            long next = start;
            if (afterSeq >= 0) {
                List<AuditEvent> replay;
                do {
                    replay = log.after(c, runnerId, next, REPLAY_CHUNK);
                    replay.forEach(sub::offer);
                    if (!replay.isEmpty()) {
                        next = replay.get(replay.size() - 1).seq();
                    }
                } while (replay.size() == REPLAY_CHUNK);
            }
            subscribers.add(sub);
            return null;
        });
        return () -> {
            sub.closed.set(true);
            subscribers.remove(sub);
        };
    }

    @Override
    public void close() {
        subscribers.clear();
        delivery.shutdownNow();
    }

    private final class Sub {
        private final Optional<String> runnerId;
        private final EventListener listener;
        private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile long lastDelivered;

        Sub(Optional<String> runnerId, EventListener listener) {
            this.runnerId = runnerId;
            this.listener = listener;
        }

        void offer(AuditEvent event) {
            if (runnerId.isPresent() && !runnerId.equals(event.runnerId())) {
                return;
            }
            enqueue(event);
        }

        void enqueue(Object item) {
            queue.add(item);
            if (draining.compareAndSet(false, true)) {
                delivery.execute(this::drain);
            }
        }

        private void drain() {
            try {
                Object item;
                while (!closed.get() && (item = queue.poll()) != null) {
                    try {
                        if (item instanceof AuditEvent event) {
                            if (event.seq() <= lastDelivered) {
                                continue;
                            }
                            lastDelivered = event.seq();
                            listener.onEvent(event);
                        } else {
                            listener.onOutput((OutputChunk) item);
                        }
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "an event listener failed", e);
                    }
                }
            } finally {
                draining.set(false);
                if (!queue.isEmpty() && !closed.get() && draining.compareAndSet(false, true)) {
                    delivery.execute(this::drain);
                }
            }
        }
    }
}
