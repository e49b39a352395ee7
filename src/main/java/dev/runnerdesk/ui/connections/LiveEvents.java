package dev.runnerdesk.ui.connections;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.ui.common.TaskExecutor;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * A view's live events from the connection's backend: subscribes off the FX thread, hands each event to the
 * FX thread while that subscription and backend are still the current ones, reports errors to the
 * connection, and closes in the background. Used on the FX thread only; {@link #start} replaces what was
 * followed.
 */
public final class LiveEvents {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private Subscription subscription;
    /** The subscribe that still waits for its stream to open; stopped when what is followed changes. */
    private Opening opening;
    private int generation;

    public LiveEvents(ActiveConnection connection, TaskExecutor tasks) {
        this.connection = connection;
        this.tasks = tasks;
    }

    /**
     * Follows every new event of the current backend: {@code onEvent} for each, {@code onLive} once the
     * subscription stands (with its {@link Subscription#note()}: how events reach it when not as they happen), {@code onUnavailable} when the backend has no live events (and the failure is not
     * the connection's own, which the connection shows).
     */
    public void start(Consumer<AuditEvent> onEvent, Consumer<String> onLive, Consumer<Throwable> onUnavailable) {
        start(Optional.empty(), RunnerService.ONLY_NEW, onEvent, onLive, onUnavailable);
    }

    /**
     * As {@link #start(Consumer, Consumer, Consumer)}, for the events of {@code runnerId} only (all when empty) after
     * {@code afterSeq} ({@link RunnerService#ONLY_NEW}: from now on): a gateway serves one runner's from its own stream.
     */
    public void start(Optional<String> runnerId, long afterSeq, Consumer<AuditEvent> onEvent, Consumer<String> onLive,
                      Consumer<Throwable> onUnavailable) {
        stop();
        int gen = generation;
        RunnerService service = connection.service();
        if (service == null) {
            return; // nothing to follow until a backend is open; the owner starts again when there is one
        }
        EventListener listener = new EventListener() {
            @Override
            public void onEvent(AuditEvent event) {
                tasks.onUiThread(() -> {
                    if (current(gen, service)) {
                        onEvent.accept(event);
                    }
                });
            }

            @Override
            public void onError(RunnerException error) {
                tasks.onUiThread(() -> {
                    if (current(gen, service)) {
                        connection.report(error);
                    }
                });
            }
        };
        String what = runnerId.map(id -> "Following the events of " + id).orElse("Following live events");
        Opening mine = new Opening();
        opening = mine;
        mine.task = tasks.submit(what, () -> mine.opened(service.subscribe(runnerId, afterSeq, listener)), s -> {
            if (opening == mine) {
                opening = null;
            }
            if (!current(gen, service)) {
                tasks.closeInBackground("Stop following events", s);
                return;
            }
            subscription = s;
            onLive.accept(s.note());
        }, e -> {
            if (opening == mine) {
                opening = null;
            }
            if (gen == generation && !connection.report(e)) {
                onUnavailable.accept(e);
            }
        });
    }

    /** Stops following, and waiting for a stream still opening; events already on their way are dropped. */
    public void stop() {
        generation++;
        if (opening != null) {
            opening.abandon(tasks);
            opening = null;
        }
        if (subscription != null) {
            tasks.closeInBackground("Stop following events", subscription);
            subscription = null;
        }
    }

    /**
     * A subscribe under way. Abandoned, its task is cancelled (a gateway's HTTP call aborted) and a subscription that
     * opens all the same is closed, never left to follow in the background.
     */
    private static final class Opening {
        private TaskExecutor.Cancellable task;
        private Subscription opened;
        private boolean abandoned;

        /** Off the FX thread, as the subscription stands. */
        synchronized Subscription opened(Subscription s) {
            if (abandoned) {
                s.close();
                throw new java.util.concurrent.CancellationException("no longer followed");
            }
            opened = s;
            return s;
        }

        void abandon(TaskExecutor tasks) {
            Subscription s;
            synchronized (this) {
                abandoned = true;
                s = opened;
            }
            if (task != null) {
                task.cancel();
            }
            if (s != null) {
                tasks.closeInBackground("Stop following events", s);
            }
        }
    }

    private boolean current(int gen, RunnerService service) {
        return gen == generation && service == connection.service();
    }
}
