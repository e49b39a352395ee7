package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.event.ActionEvent;
import javafx.stage.Window;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/** Opens the create-runner dialog, loads the providers, creates in the background, keeps input on failure. */
final class CreateRunnerController {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final CreateRunnerModel model = new CreateRunnerModel();
    private final CreateRunnerView view;
    private final Consumer<Runner> onCreated;
    private final Runnable onMaybeCreated;
    private TaskExecutor.Cancellable creating;
    private TaskExecutor.Cancellable loadingProviders;
    /** The request last sent and its Idempotency-Key: sending the same request again sends the same key. */
    private CreateRunnerRequest sent;
    private String sentKey;

    /** {@code onMaybeCreated}: a create whose outcome is unknown — the list is read again to show what is there. */
    CreateRunnerController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, Window owner,
                           Consumer<Runner> onCreated, Runnable onMaybeCreated) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.onCreated = onCreated;
        this.onMaybeCreated = onMaybeCreated;
        this.view = new CreateRunnerView(model, owner);
        view.createButton.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume(); // the dialog stays open until the runner exists
            create();
        });
        view.cancelButton.addEventFilter(ActionEvent.ACTION, e -> cancel());
        view.dialog.setOnCloseRequest(e -> cancel());
    }

    void open() {
        loadProviders();
        view.dialog.show();
        view.ttl.requestFocus();
    }

    CreateRunnerView view() {
        return view;
    }

    CreateRunnerModel model() {
        return model;
    }

    private void loadProviders() {
        RunnerService service = connection.service();
        if (service == null) {
            model.error.set("Not connected: " + connection.problemProperty().get());
            return;
        }
        model.providersLoading.set(true);
        view.wait.start("Waiting for " + connection.where() + " to list its providers", this::stopLoadingProviders);
        TaskExecutor.Cancellable task = tasks.submit("Loading providers", service::providers, (List<ProviderInfo> list) -> {
            loadingProviders = null;
            view.wait.done();
            model.providersLoading.set(false);
            model.providers.setAll(list);
            if (model.provider.get() == null || !model.provider.get().available()) {
                list.stream().filter(ProviderInfo::available).findFirst().ifPresent(model.provider::set);
            }
            if (list.stream().noneMatch(ProviderInfo::available)) {
                model.error.set("No provider can create runners here.");
            }
        }, e -> {
            loadingProviders = null;
            model.providersLoading.set(false);
            if (e instanceof CancellationException) {
                saidProvidersNotLoaded(); // cancelled in the status bar
                return;
            }
            view.wait.done();
            model.error.set("Cannot load the providers: " + Notifier.describe(e));
            connection.report(e);
        });
        if (model.providersLoading.get()) {
            loadingProviders = task; // still running (an immediate executor has called back already)
        }
    }

    /** The person stopped waiting for the providers (Cancel, Escape): nothing can be created until the dialog reopens. */
    private void stopLoadingProviders() {
        if (loadingProviders == null) {
            return;
        }
        loadingProviders.cancel();
        loadingProviders = null;
        model.providersLoading.set(false);
        saidProvidersNotLoaded();
    }

    private void saidProvidersNotLoaded() {
        view.wait.say("Cancelled — the providers were not loaded; close and open this dialog to try again");
    }

    private void create() {
        if (!model.valid.get() || model.busy.get()) {
            return;
        }
        RunnerService service = connection.service();
        if (service == null) {
            model.error.set("Not connected: " + connection.problemProperty().get());
            return;
        }
        CreateRunnerRequest typed = model.request();
        if (!typed.equals(sent)) {
            sent = typed;
            sentKey = UUID.randomUUID().toString();
        }
        // a second press after an unknown outcome is the same request with the same key: a gateway that honours
        // Idempotency-Key answers it with the first one's runner instead of creating another
        CreateRunnerRequest request = typed.withIdempotencyKey(sentKey);
        model.error.set("");
        model.busy.set(true);
        view.wait.start("Waiting for " + connection.where() + " to create the runner", this::stopWaiting);
        creating = tasks.submit("Creating a " + request.providerType().wireName() + " runner", () -> service.create(request),
                runner -> {
                    creating = null;
                    model.busy.set(false);
                    view.wait.done();
                    connection.reportSuccess();
                    view.dialog.setResult(runner);
                    view.dialog.close();
                    onCreated.accept(runner);
                    notifier.info("Runner created", runner.runnerId() + " is " + runner.state().wireName());
                }, e -> {
                    creating = null;
                    model.busy.set(false);
                    if (e instanceof CancellationException) {
                        saidUnknown(); // cancelled in the status bar
                        return;
                    }
                    view.wait.done();
                    connection.report(e);
                    model.error.set(message(e));
                    if (e instanceof RunnerException.BadAnswer bad && bad.mayHaveActed()) {
                        onMaybeCreated.run();
                    }
                });
    }

    /** The dialog closes while a create runs: stop waiting; the list is read again to show what was made. */
    private void cancel() {
        if (loadingProviders != null) {
            loadingProviders.cancel();
            loadingProviders = null;
        }
        if (creating != null) {
            stopWaiting();
            notifier.info("Stopped waiting", "The runner may have been created; the list is read again to show it.");
        }
    }

    /**
     * The person stopped waiting for the create (Cancel beside the wait, Escape): the request is aborted, but it may
     * already have reached the gateway, so the outcome is unknown: the dialog says so and the list is read again.
     */
    private void stopWaiting() {
        if (creating == null) {
            return;
        }
        creating.cancel();
        creating = null;
        model.busy.set(false);
        saidUnknown();
    }

    private void saidUnknown() {
        view.wait.say("Cancelled — the runner may have been created: look at the list (read again now) before creating "
                + "it again. Create sends the same request with the same Idempotency-Key.");
        onMaybeCreated.run();
    }

    private static String message(Throwable e) {
        if (e instanceof RunnerException.BadAnswer bad && bad.mayHaveActed()) {
            // the message says what is unknown and what to look at; the list is being read again meanwhile
            return Notifier.describe(e) + ". Create sends the same request again, with the same Idempotency-Key: a "
                    + "gateway that honours it does not create a second runner.";
        }
        if (e instanceof RunnerException.InvalidRequest invalid && invalid.field().isPresent()) {
            return invalid.getMessage() + " (" + invalid.field().get() + ")";
        }
        return Notifier.describe(e);
    }
}
