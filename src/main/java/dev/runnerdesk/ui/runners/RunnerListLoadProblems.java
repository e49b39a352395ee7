package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Duration;

/**
 * What the runner list says when a load does not bring rows: a rate limit is waited out with a countdown and the load
 * tried again by itself; a refusal says what the role may not do; a cancel leaves the rows shown; anything else is
 * said once, above the rows if there are any.
 */
final class RunnerListLoadProblems {
    private final RunnerListModel model;
    private final WaitIndicator wait;
    private final Notifier notifier;
    private final Runnable reload;
    private final Timeline retry = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));
    private long retryIn;

    RunnerListLoadProblems(RunnerListModel model, WaitIndicator wait, Notifier notifier, Runnable reload) {
        this.model = model;
        this.wait = wait;
        this.notifier = notifier;
        this.reload = reload;
        retry.setCycleCount(Timeline.INDEFINITE);
    }

    /** A load brought rows, or another starts: no countdown runs. */
    void clear() {
        retry.stop();
    }

    void loaded() {
        retry.stop();
        model.loadProblem.set("");
    }

    void failed(Throwable e) {
        if (e instanceof RunnerException.RateLimited limited) {
            retryIn = Math.max(1, limited.retryAfter().toSeconds());
            showRetry();
            retry.playFromStart();
            return;
        }
        if (e instanceof RunnerException.Forbidden) {
            Role role = model.role.get();
            model.loadProblem.set("This key may not list runners here: " + Notifier.describe(e)
                    + (role == null ? "" : ". Its role is " + role.wireName() + "; the Timeline shows what it may read."));
            return;
        }
        model.loadProblem.set("Cannot load runners: " + Notifier.describe(e));
        if (model.loaded.get()) { // the rows stay; the line above them says they are not fresh, and why
            wait.say("The runner list was not refreshed: " + Notifier.describe(e));
        }
        notifier.error("Cannot load runners", e);
    }

    /** The person cancelled the load: the rows shown stay; nothing retries by itself. */
    void cancelled() {
        retry.stop();
        if (!model.loaded.get()) {
            model.loadProblem.set("Cancelled — the runner list was not loaded; press F5 to try again");
        }
    }

    private void showRetry() {
        model.loadProblem.set("The gateway is limiting requests; trying again in " + retryIn + " s");
    }

    private void tick() {
        if (--retryIn > 0) {
            showRetry();
        } else {
            retry.stop();
            reload.run();
        }
    }
}
