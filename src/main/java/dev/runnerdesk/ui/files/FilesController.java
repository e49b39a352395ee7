package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.ViewLoader;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.stage.Window;

import java.io.File;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Files tab of the runner detail: lists the shown runner's workspace folder by folder, follows changes where the
 * backend can watch (else Refresh and F5), and hands uploads, downloads, preview and changes to {@link FileActions}
 * and {@link FilePreviewLoader}. Every call to the service runs off the FX thread; a listing that takes over a second
 * shows what it waits for with Cancel. A failed listing keeps the folder shown before it.
 */
public final class FilesController {
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final ObservableValue<Role> role;
    final FilesModel model = new FilesModel();
    final FilesView view = new FilesView(model);
    private final ViewLoader loader;
    final FileActions actions;
    private final FilePreviewLoader preview;
    private final FileWatch watch;
    /** The file access of the shown runner's profile, once read; empty when it could not be read. */
    private Optional<FileAccess> access = Optional.empty();
    private boolean showing;
    /** The runner whose root has been listed at least once (the tab lists lazily, when first shown). */
    private String listed;

    public FilesController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, Supplier<Window> owner,
                           ObservableValue<Role> role, Consumer<String> openTerminalIn) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.role = role;
        this.loader = new ViewLoader(connection, tasks).showingWaitIn(view.wait, "list the workspace",
                "Cancelled — the folder was not listed; F5 tries again", () -> { });
        this.actions = new FileActions(this, connection, tasks, notifier, owner);
        this.preview = new FilePreviewLoader(this, connection, tasks);
        this.watch = new FileWatch(connection, tasks, model, () -> {
            if (!loader.isLoading()) {
                list(model.folder.get(), true);
            }
        });
        view.root.getProperties().put(FilesController.class, this);
        role.addListener((o, was, now) -> applyRole());
        applyRole();
        wire(openTerminalIn);
    }

    /** The controller of a Files tab's root node (tests reach it through the scene). */
    public static Optional<FilesController> of(Node root) {
        return Optional.ofNullable((FilesController) root.getProperties().get(FilesController.class));
    }

    public Node view() {
        return view.node();
    }

    private void wire(Consumer<String> openTerminalIn) {
        view.onCrumb = path -> list(path, false);
        view.upButton.setOnAction(e -> up());
        view.refreshButton.setOnAction(e -> refresh());
        view.uploadButton.setOnAction(e -> actions.chooseAndUpload());
        view.downloadButton.setOnAction(e -> actions.chooseAndDownload(selected()));
        view.newFolderButton.setOnAction(e -> actions.askNewFolder());
        view.renameButton.setOnAction(e -> selectedOne().ifPresent(actions::askRename));
        view.deleteButton.setOnAction(e -> actions.askDelete(selected()));
        view.terminalButton.setOnAction(e -> openTerminalIn.accept(model.folder.get()));
        var selection = view.table.getSelectionModel().getSelectedItems();
        var none = Bindings.isEmpty(selection);
        var notUsable = model.usable.not();
        view.upButton.disableProperty().bind(model.folder.isEmpty().or(notUsable));
        view.refreshButton.disableProperty().bind(model.runner.isNull());
        view.uploadButton.disableProperty().bind(notUsable.or(model.writeWhy.isNotEmpty()));
        view.newFolderButton.disableProperty().bind(notUsable.or(model.writeWhy.isNotEmpty()));
        view.downloadButton.disableProperty().bind(notUsable.or(model.downloadWhy.isNotEmpty()).or(none));
        view.deleteButton.disableProperty().bind(notUsable.or(model.writeWhy.isNotEmpty()).or(none));
        view.renameButton.disableProperty().bind(notUsable.or(model.writeWhy.isNotEmpty())
                .or(Bindings.size(selection).isNotEqualTo(1)));
        view.terminalButton.disableProperty().bind(notUsable);
        selection.addListener((ListChangeListener<FileEntry>) c -> preview.selectionChanged(selected()));
        view.table.setRowFactory(t -> {
            TableRow<FileEntry> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openEntry(row.getItem());
                }
            });
            return row;
        });
        view.root.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
        view.root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && model.usable.get() && model.writeWhy.get().isEmpty()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        view.root.setOnDragDropped(e -> {
            boolean taken = e.getDragboard().hasFiles() && drop(e.getDragboard().getFiles());
            e.setDropCompleted(taken);
            e.consume();
        });
    }

    private void key(KeyEvent e) {
        boolean inTable = view.table.isFocused();
        if (e.getCode() == KeyCode.F5) {
            refresh();
        } else if (inTable && e.getCode() == KeyCode.ENTER) {
            selectedOne().ifPresent(this::openEntry);
        } else if (inTable && (e.getCode() == KeyCode.BACK_SPACE || e.isAltDown() && e.getCode() == KeyCode.UP)) {
            up();
        } else if (inTable && e.getCode() == KeyCode.F2 && !view.renameButton.isDisabled()) {
            selectedOne().ifPresent(actions::askRename);
        } else if (inTable && e.getCode() == KeyCode.DELETE && !view.deleteButton.isDisabled()) {
            actions.askDelete(selected());
        } else {
            return;
        }
        e.consume();
    }

    /**
     * Files and folders dropped from the desktop: uploaded into the open folder. False (nothing done) when the person
     * may not write here or there is no workspace.
     */
    public boolean drop(List<File> files) {
        if (files.isEmpty() || !model.usable.get() || !model.writeWhy.get().isEmpty()) {
            return false;
        }
        actions.upload(files);
        return true;
    }

    /**
     * Shows {@code runner}'s workspace (null: none). Another runner starts at its root; the same runner updated keeps
     * the folder open.
     */
    public void show(Runner runner) {
        Runner before = model.runner.get();
        model.runner.set(runner);
        boolean same = before != null && runner != null && before.runnerId().equals(runner.runnerId());
        model.usable.set(runner != null && !runner.state().isFinal());
        if (same) {
            if (runner.state().isFinal() && !before.state().isFinal()) {
                watch.stop();
                model.status.set("The runner has ended; its workspace is gone.");
            }
            return;
        }
        loader.cancel();
        watch.stop();
        preview.clear();
        model.entries.clear();
        model.folder.set("");
        listed = null;
        access = Optional.empty();
        applyRole();
        model.live.set("");
        if (runner == null) {
            model.status.set("");
        } else if (runner.state().isFinal()) {
            model.status.set("The runner has ended; its workspace is gone.");
        } else {
            model.status.set("");
            if (showing) {
                list("", false);
            }
        }
    }

    /** The tab is shown (true) or hidden: listed when first shown, watched only while shown. */
    public void setShowing(boolean on) {
        showing = on;
        Runner r = model.runner.get();
        if (!on) {
            watch.stop();
            return;
        }
        if (r != null && !r.state().isFinal()) {
            list(model.folder.get(), false);
        }
    }

    /** F5 and Refresh: the open folder listed again. */
    public void refresh() {
        if (model.runner.get() != null && model.usable.get()) {
            list(model.folder.get(), true);
        }
    }

    /** Opens a folder of the workspace ("" the root). */
    public void open(String folder) {
        list(folder, false);
    }

    void up() {
        if (!model.folder.get().isEmpty()) {
            list(FileTransfers.parent(model.folder.get()), false);
        }
    }

    private void openEntry(FileEntry e) {
        if (e.isFolder()) {
            list(e.path(), false);
        } else {
            preview.selectionChanged(List.of(e));
        }
    }

    private record Listing(List<FileEntry> entries, Optional<FileAccess> access) {
    }

    /**
     * Lists {@code folder}; on success it becomes the open folder (the selection kept where the same names are there),
     * on failure the folder shown stays and the line under it says why.
     */
    void list(String folder, boolean keepSelection) {
        list(folder, keepSelection, null);
    }

    /** As {@link #list(String, boolean)}, then selects the entry named {@code select} (null: none). */
    void list(String folder, boolean keepSelection, String select) {
        Runner runner = model.runner.get();
        if (runner == null || runner.state().isFinal()) {
            return;
        }
        String runnerId = runner.runnerId();
        boolean needAccess = !runnerId.equals(listed);
        Set<String> keep = new HashSet<>();
        if (keepSelection && folder.equals(model.folder.get())) {
            selected().forEach(e -> keep.add(e.name()));
        }
        loader.saying("list " + (folder.isEmpty() ? "the workspace of " + runnerId : folder),
                "Cancelled — " + (folder.isEmpty() ? "the workspace" : folder) + " was not listed; F5 tries again")
                .load("List the files of " + runnerId, service -> new Listing(service.listFiles(runnerId, folder),
                        needAccess ? access(service, runner) : access), listing -> {
                    if (!isShown(runnerId)) {
                        return;
                    }
                    listed = runnerId;
                    access = listing.access();
                    applyRole();
                    boolean moved = !folder.equals(model.folder.get());
                    model.folder.set(folder);
                    model.entries.setAll(listing.entries());
                    model.status.set(model.summary());
                    reselect(keep);
                    if (select != null) {
                        select(select);
                    }
                    if (moved || !watch.watching(runnerId, folder)) {
                        if (showing) {
                            watch.start(runnerId, folder);
                        }
                    }
                }, e -> {
                    model.status.set("Cannot list " + (folder.isEmpty() ? "the workspace" : folder) + ": "
                            + Notifier.describe(e));
                    notifier.error("Cannot list " + (folder.isEmpty() ? "the workspace of " + runnerId : folder), e);
                });
    }

    private void reselect(Set<String> names) {
        var sm = view.table.getSelectionModel();
        sm.clearSelection();
        for (int i = 0; i < view.sorted.size(); i++) {
            if (names.contains(view.sorted.get(i).name())) {
                sm.select(i);
            }
        }
    }

    /** The shown runner's profile's file access; empty when the policies cannot be read (the service still decides). */
    private static Optional<FileAccess> access(RunnerService service, Runner runner) {
        try {
            return Optional.of(service.policies().profile(runner.toolProfile()).files());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void applyRole() {
        Role r = role.getValue();
        model.writeWhy.set(RoleGate.reasonFor(r, Role.Permission.OPERATE, "changing workspace files"));
        boolean mayDownload = r == null || access.map(a -> a.mayDownload(r)).orElse(true);
        Runner runner = model.runner.get();
        model.downloadWhy.set(mayDownload ? "" : "your role is " + r.wireName() + "; the "
                + (runner == null ? "runner's" : runner.toolProfile().wireName()) + " profile lets only "
                + Role.namesWith(Role.Permission.OPERATE) + " download its files");
        preview.selectionChanged(selected());
    }

    boolean isShown(String runnerId) {
        Runner r = model.runner.get();
        return r != null && r.runnerId().equals(runnerId);
    }

    List<FileEntry> selected() {
        return List.copyOf(view.table.getSelectionModel().getSelectedItems());
    }

    private Optional<FileEntry> selectedOne() {
        List<FileEntry> s = selected();
        return s.size() == 1 ? Optional.of(s.get(0)) : Optional.empty();
    }

    /** Selects the entry named {@code name} in the open folder, if it is listed (after a rename or a new folder). */
    void select(String name) {
        for (int i = 0; i < view.sorted.size(); i++) {
            if (view.sorted.get(i).name().equals(name)) {
                view.table.getSelectionModel().clearAndSelect(i);
                view.table.scrollTo(i);
                return;
            }
        }
    }

    /**
     * A change made here in {@code folder}: listed again if it is the open one (a watch would too, later), with
     * {@code select} (null: the selection as it was) selected.
     */
    void changed(String folder, String select) {
        if (model.runner.get() != null && folder.equals(model.folder.get())) {
            list(folder, select == null, select);
        }
    }

    /** A failure of an action: the connection's banner takes connection trouble; anything else is said. */
    void failed(String what, Throwable e) {
        if (!connection.report(e)) {
            notifier.error(what, e);
        }
    }

    TaskExecutor tasks() {
        return tasks;
    }
}
