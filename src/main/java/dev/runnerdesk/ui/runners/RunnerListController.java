package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.util.Duration;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** Loads runners off the FX thread, follows live events, ticks the TTL countdown. */
public final class RunnerListController {
    private final RunnerService service;
    private final TaskExecutor tasks;
    private final RunnerListModel model = new RunnerListModel();
    private final RunnerListView view = new RunnerListView(model);
    private final Timeline clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> model.now.set(Instant.now())));
    private final AtomicBoolean reloadPending = new AtomicBoolean();
    private Subscription subscription;

    public RunnerListController(RunnerService service, TaskExecutor tasks) {
        this.service = service;
        this.tasks = tasks;
        clock.setCycleCount(Timeline.INDEFINITE);
        view.refreshButton.setOnAction(e -> reload());
        view.createButton.setOnAction(e -> createFakeRunner());
    }

    public Node view() {
        return view.root;
    }

    public RunnerListModel model() {
        return model;
    }

    /** Called when the view is shown: load, follow events, start the countdown. */
    public void activate() {
        reload();
        clock.play();
        tasks.submit("follow events", () -> service.subscribe(Optional.empty(), RunnerService.ONLY_NEW, event -> scheduleReload()),
                s -> subscription = s, this::showError);
    }

    /** Called when the view is hidden or the window closes. */
    public void deactivate() {
        clock.stop();
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    public void reload() {
        reloadPending.set(false);
        model.status.set(model.runners.isEmpty() ? "Loading…" : "Updating…");
        tasks.submit("load runners", () -> service.list(RunnerQuery.firstPage()), this::show, this::showError);
    }

    private void scheduleReload() {
        // a burst of events becomes one reload
        if (reloadPending.compareAndSet(false, true)) {
            tasks.onUiThread(this::reload);
        }
    }

    private void show(RunnerPage page) {
        model.replace(page.runners(), page.total());
        model.now.set(Instant.now());
        model.status.set(page.total() == 1 ? "1 runner" : page.total() + " runners");
    }

    private void createFakeRunner() {
        view.createButton.setDisable(true);
        tasks.submit("create runner", () -> service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED,
                CreateRunnerRequest.DEFAULT_TTL_SECONDS)), r -> {
                    view.createButton.setDisable(false);
                    reload();
                }, e -> {
                    view.createButton.setDisable(false);
                    showError(e);
                });
    }

    private void showError(Throwable e) {
        model.status.set("Error: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    }
}
