package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.animation.Animation;
import javafx.animation.PauseTransition;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runners live events named, fetched a burst at a time: ids gathered for a moment, then read off the FX thread in
 * one task and put into the list in one change (a runner that is gone leaves it). Used on the FX thread.
 */
final class RunnerUpdates {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final RunnerListModel model;
    private final PauseTransition coalesce = new PauseTransition(Duration.millis(150));
    private final Set<String> pendingIds = new LinkedHashSet<>();

    RunnerUpdates(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, RunnerListModel model) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.model = model;
        coalesce.setOnFinished(e -> fetchPending());
    }

    /** An event named {@code runnerId}: it is read again with the others of the burst. */
    void named(String runnerId) {
        pendingIds.add(runnerId);
        if (coalesce.getStatus() != Animation.Status.RUNNING) {
            coalesce.playFromStart();
        }
    }

    private void fetchPending() {
        RunnerService service = connection.service();
        if (service == null || pendingIds.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(pendingIds);
        pendingIds.clear();
        tasks.submit("Updating " + ids.size() + (ids.size() == 1 ? " runner" : " runners"), () -> {
            Map<String, Optional<Runner>> fresh = new HashMap<>();
            for (String id : ids) {
                try {
                    fresh.put(id, Optional.of(service.get(id)));
                } catch (RunnerException.NotFound e) {
                    fresh.put(id, Optional.empty());
                }
            }
            return fresh;
        }, fresh -> {
            if (service != connection.service()) {
                return;
            }
            connection.reportSuccess();
            // one change of the list for the whole burst, however many runners it holds
            model.upsertAll(fresh.values().stream().flatMap(Optional::stream).toList());
            fresh.forEach((id, r) -> {
                if (r.isEmpty()) {
                    model.remove(id);
                }
            });
        }, e -> {
            if (!connection.report(e)) {
                notifier.error("Cannot update runners", e);
            }
        });
    }
}
