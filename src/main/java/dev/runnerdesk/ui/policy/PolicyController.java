package dev.runnerdesk.ui.policy;

import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.PolicyEditorChecks;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.ViewController;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.ViewLoader;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ChangeListener;
import javafx.scene.Node;

import java.util.List;

/**
 * The Policies view: loads the policies and members off the FX thread, lets admins edit and save (errors
 * shown inline, the edits kept), and shows everyone else the same matrix read-only with the reason.
 */
public final class PolicyController extends ViewController {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final PolicyModel model;
    private final PolicyView view;
    private final ChangeListener<RunnerService> onService = (o, was, now) -> reload();
    private final InvalidationListener onGeneration = o -> reload();
    private final ChangeListener<WhoAmI> onWhoami = (o, was, now) -> applyRole(now);
    private final ViewLoader loader;

    public PolicyController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, PolicyEditorChecks tools) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.model = new PolicyModel(tools);
        this.view = new PolicyView(model);
        // a cancel leaves the policies shown (and any edits) as they were
        this.loader = new ViewLoader(connection, tasks, model.loading).showingWaitIn(view.wait, "load the policies",
                "Cancelled — the policies were not loaded; press F5 to try again", () -> { });
        view.saveButton.disableProperty().bind(model.dirty.not().or(model.valid.not()).or(model.saving)
                .or(view.editReason.isNotEmpty()));
        view.revertButton.disableProperty().bind(model.dirty.not().or(model.saving));
        view.saveButton.setOnAction(e -> save());
        view.revertButton.setOnAction(e -> revert());
        view.refreshButton.setOnAction(e -> reload());
        model.role.addListener((o, was, now) -> view.setEditable(model.mayEdit()));
        model.dirty.addListener((o, was, now) -> {
            if (now) {
                model.savedNote.set("Unsaved changes");
            }
        });
        activateWhenShown(view.root);
    }

    @Override
    public Node view() {
        return view.root;
    }

    public PolicyModel model() {
        return model;
    }

    @Override
    protected void onActivate() {
        connection.serviceProperty().addListener(onService);
        connection.generationProperty().addListener(onGeneration);
        connection.whoamiProperty().addListener(onWhoami);
        applyRole(connection.whoamiProperty().get());
        if (model.loadedPolicies.get() == null || !model.dirty.get()) {
            reload();
        }
    }

    @Override
    protected void onDeactivate() {
        connection.serviceProperty().removeListener(onService);
        connection.generationProperty().removeListener(onGeneration);
        connection.whoamiProperty().removeListener(onWhoami);
        loader.cancel();
    }

    /** Loads the stored policies and the members; edits not saved are replaced. */
    @Override
    public void reload() {
        if (!isActive()) {
            return;
        }
        loader.load("Loading policies", service -> new Loaded(service.policies(), members(service), service.whoami()),
                loaded -> {
                    applyRole(loaded.whoami);
                    model.load(loaded.policies);
                    model.members.setAll(loaded.members);
                    model.saveError.set("");
                    model.savedNote.set("");
                    model.unavailable.set("");
                }, e -> {
                    if (e instanceof RunnerException.NotFound) {
                        model.unavailable.set(Notifier.describe(e)); // said in place, once, instead of a toast each visit
                    } else {
                        notifier.error("Cannot load policies", e);
                    }
                });
    }

    private static List<Member> members(RunnerService service) {
        try {
            return service.members();
        } catch (RunnerException.Forbidden | RunnerException.NotFound e) {
            return List.of(); // an older gateway, or a role that may not list members
        }
    }

    /** Saves the edits; on failure the edits stay and the error is shown above the matrix. */
    public void save() {
        RunnerService service = connection.service();
        if (service == null || !model.dirty.get() || !model.valid.get() || !model.mayEdit()) {
            return;
        }
        Policies edited = model.edited();
        model.saving.set(true);
        model.saveError.set("");
        tasks.submit("Saving policies", () -> service.updatePolicies(edited), saved -> {
            model.saving.set(false);
            connection.reportSuccess();
            model.load(saved);
            model.savedNote.set("Saved");
            notifier.info("Policies saved", "Each changed profile is recorded as a policy.updated event.");
        }, e -> {
            model.saving.set(false);
            if (!connection.report(e)) {
                model.saveError.set("Not saved: " + Notifier.describe(e));
            }
        });
    }

    public void revert() {
        if (model.loadedPolicies.get() != null) {
            model.load(model.loadedPolicies.get());
            model.saveError.set("");
            model.savedNote.set("");
        }
    }

    private void applyRole(WhoAmI who) {
        model.role.set(who == null ? null : who.role());
        view.setEditable(model.mayEdit());
    }

    private record Loaded(Policies policies, List<Member> members, WhoAmI whoami) {
    }
}
