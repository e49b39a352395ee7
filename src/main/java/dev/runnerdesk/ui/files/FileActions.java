package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.CoalescedProgress;
import dev.runnerdesk.ui.common.Confirm;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.scene.control.TextInputDialog;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * What the Files tab does to a workspace: uploads and downloads (each a {@link Transfer} with progress and Cancel,
 * never blocking the window), a new folder, a rename, and a delete after a confirmation that says how much goes.
 * Every call runs off the FX thread; a refusal (role, policy, limit) is said in the service's words.
 */
final class FileActions {
    /** How many entries a folder's delete counts before it says "more than". */
    private static final int COUNT_UP_TO = 10_000;
    private final FilesController files;
    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final Supplier<Window> owner;
    /** Wraps each download's local sink (tests slow it down to cancel mid-way). */
    UnaryOperator<OutputStream> downloadSink = s -> s;
    /** The folder the last download went to, offered again. */
    private File lastFolder;

    FileActions(FilesController files, ActiveConnection connection, TaskExecutor tasks, Notifier notifier, Supplier<Window> owner) {
        this.files = files;
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.owner = owner;
    }

    void chooseAndUpload() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Upload to " + where(files.model.folder.get()));
        List<File> chosen = chooser.showOpenMultipleDialog(owner.get());
        if (chosen != null && !chosen.isEmpty()) {
            upload(chosen);
        }
    }

    /**
     * Uploads {@code local} files and folders into the open folder, one transfer each; names already there are
     * replaced only after the person confirms it.
     */
    void upload(List<File> local) {
        Runner runner = files.model.runner.get();
        RunnerService service = connection.service();
        if (runner == null || service == null) {
            return;
        }
        Set<String> there = files.model.entries.stream().map(FileEntry::name).collect(Collectors.toSet());
        List<String> clash = local.stream().map(File::getName).filter(there::contains).toList();
        String folder = files.model.folder.get();
        if (!clash.isEmpty() && !Confirm.ask(owner.get(), "Replace files",
                "Replace " + FilesModel.count(clash.size(), "entry") + " in " + where(folder) + "?", clash,
                "The files uploaded replace those of the same name; files in a folder of the same name are replaced one by one.",
                "Replace")) {
            return;
        }
        for (File f : local) {
            Transfer t = new Transfer(Transfer.Direction.UPLOAD, f.getName());
            start(t, service, "Upload " + f.getName() + " to " + runner.runnerId(), progress -> {
                FileTransfers.upload(service, runner.runnerId(), f.toPath(), folder, t, progress);
                return null;
            }, done -> {
                t.state.set("Uploaded to " + where(folder));
                files.changed(folder, null);
            }, "Nothing was changed in the workspace");
        }
    }

    void chooseAndDownload(List<FileEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Download " + (entries.size() == 1 ? entries.get(0).name() : entries.size() + " entries") + " to");
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        File into = chooser.showDialog(owner.get());
        if (into != null) {
            lastFolder = into;
            download(entries, into.toPath());
        }
    }

    /** Downloads {@code entries} into the local folder {@code into}, one transfer each; nothing there is overwritten. */
    void download(List<FileEntry> entries, Path into) {
        Runner runner = files.model.runner.get();
        RunnerService service = connection.service();
        if (runner == null || service == null) {
            return;
        }
        for (FileEntry e : entries) {
            Transfer t = new Transfer(Transfer.Direction.DOWNLOAD, e.name());
            start(t, service, "Download " + e.path() + " of " + runner.runnerId(),
                    progress -> FileTransfers.download(service, runner.runnerId(), e, into, t, progress, downloadSink),
                    written -> t.state.set("Saved as " + written),
                    "The partial file was removed");
        }
    }

    private <T> void start(Transfer t, RunnerService service, String description, TaskExecutor.ProgressWork<T> work,
                           java.util.function.Consumer<T> onDone, String cancelledNote) {
        files.model.transfers.add(t);
        CoalescedProgress progress = new CoalescedProgress(tasks, (done, total) -> {
            if (!t.isFinished()) {
                t.progress.set(total > 0 ? Math.min(1.0, (double) done / total) : -1);
                t.state.set(FilesModel.size(done) + (total > 0 ? " of " + FilesModel.size(total) : ""));
            }
        });
        tasks.submitWithProgress(description, p -> {
            t.runningOn(Thread.currentThread());
            try {
                return work.run(progress);
            } finally {
                t.runningOn(null);
                Thread.interrupted(); // a cancel's interrupt ends here, not in the pool's next task
            }
        }, result -> {
            t.finished.set(true);
            if (t.isCancelled()) {
                t.state.set("Cancelled — " + cancelledNote);
                return;
            }
            t.progress.set(1);
            onDone.accept(result);
        }, e -> {
            t.finished.set(true);
            if (t.isCancelled() || e instanceof java.util.concurrent.CancellationException) {
                t.state.set("Cancelled — " + cancelledNote);
            } else {
                t.progress.set(0);
                t.state.set("Failed: " + Notifier.describe(e));
                files.failed((t.direction == Transfer.Direction.UPLOAD ? "Cannot upload " : "Cannot download ") + t.name, e);
            }
        });
    }

    void askNewFolder() {
        name("New folder", "Make a folder in " + where(files.model.folder.get()), "").ifPresent(this::newFolder);
    }

    /** Makes the folder {@code name} in the open folder and selects it. */
    void newFolder(String name) {
        String folder = files.model.folder.get();
        run("Make the folder " + name, s -> s.makeFolder(runnerId(), FileTransfers.join(folder, name)),
                () -> files.changed(folder, name), "Cannot make the folder " + name);
    }

    void askRename(FileEntry entry) {
        name("Rename", "Rename " + entry.name(), entry.name()).filter(n -> !n.equals(entry.name()))
                .ifPresent(n -> rename(entry, n));
    }

    /** Renames {@code entry} to {@code name} in its folder and selects it; an existing name is refused, never replaced. */
    void rename(FileEntry entry, String name) {
        String folder = FileTransfers.parent(entry.path());
        run("Rename " + entry.name(), s -> s.moveFile(runnerId(), entry.path(), FileTransfers.join(folder, name)),
                () -> files.changed(folder, name), "Cannot rename " + entry.name());
    }

    /** Asks first (saying how many entries a folder holds, where it is cheap to count), then deletes. */
    void askDelete(List<FileEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<FileEntry> folders = entries.stream().filter(FileEntry::isFolder).toList();
        if (folders.isEmpty()) {
            confirmDelete(entries, "");
            return;
        }
        String id = runnerId();
        RunnerService service = connection.service();
        if (service == null) {
            return;
        }
        tasks.submit("Count what is in " + folders.size() + " folders", () -> {
            long n = 0;
            for (FileEntry f : folders) {
                n += count(service, id, f.path(), COUNT_UP_TO - n);
            }
            return n;
        }, n -> confirmDelete(entries, n >= COUNT_UP_TO ? " (with more than " + COUNT_UP_TO + " entries in them)"
                : n == 0 ? " (empty)" : " (with " + FilesModel.count(n, "entry") + " in them)"),
                e -> confirmDelete(entries, " (with everything in them)"));
    }

    private static long count(RunnerService service, String runnerId, String folder, long budget) {
        long n = 0;
        for (FileEntry e : service.listFiles(runnerId, folder)) {
            if (++n >= budget) {
                return n;
            }
            if (e.isFolder()) {
                n += count(service, runnerId, e.path(), budget - n);
                if (n >= budget) {
                    return n;
                }
            }
        }
        return n;
    }

    private void confirmDelete(List<FileEntry> entries, String inFolders) {
        long folders = entries.stream().filter(FileEntry::isFolder).count();
        String header = "Delete " + (entries.size() == 1 ? entries.get(0).name() : FilesModel.count(entries.size(), "entry")
                ) + "?";
        String detail = (folders > 0 ? "Folders are deleted with everything in them" + inFolders + ". " : "")
                + "This cannot be undone.";
        if (!Confirm.ask(owner.get(), "Delete files", header, entries.stream().map(e -> e.name() + (e.isFolder() ? "/" : ""))
                .toList(), detail, "Delete")) {
            return;
        }
        delete(entries);
    }

    /** Deletes {@code entries} (folders with what is in them), without asking. */
    void delete(List<FileEntry> entries) {
        String folder = files.model.folder.get();
        run("Delete " + FilesModel.count(entries.size(), "entry"), s -> {
            for (FileEntry e : entries) {
                s.deleteFile(runnerId(), e.path(), e.isFolder());
            }
            return null;
        }, () -> files.changed(folder, null), "Cannot delete");
    }

    private interface Call {
        Object on(RunnerService service) throws Exception;
    }

    private void run(String description, Call call, Runnable then, String failure) {
        RunnerService service = connection.service();
        String id = runnerId();
        if (service == null || id == null) {
            return;
        }
        tasks.submit(description + " in " + id, () -> call.on(service), ok -> {
            if (files.isShown(id)) {
                then.run();
            }
        }, e -> {
            files.failed(failure, e);
            if (files.isShown(id)) {
                files.changed(files.model.folder.get(), null); // a part of a delete may have happened
            }
        });
    }

    private String runnerId() {
        Runner r = files.model.runner.get();
        return r == null ? null : r.runnerId();
    }

    /** Asks for a name (no "/"); empty when cancelled or blank. */
    private Optional<String> name(String title, String header, String initial) {
        TextInputDialog dialog = new TextInputDialog(initial);
        dialog.initOwner(owner.get());
        dialog.setTitle(title);
        dialog.setHeaderText(header);
        dialog.getDialogPane().setId("files-name-dialog");
        dialog.getEditor().setId("files-name-field");
        dialog.getEditor().setPromptText("Name");
        dialog.getEditor().textProperty().addListener((o, was, now) -> dialog.getDialogPane()
                .lookupButton(javafx.scene.control.ButtonType.OK).setDisable(invalid(now)));
        dialog.getDialogPane().lookupButton(javafx.scene.control.ButtonType.OK).setDisable(invalid(initial));
        dev.runnerdesk.ui.common.AppStylesheet.applyTo(dialog.getDialogPane());
        return dialog.showAndWait().map(String::strip).filter(n -> !invalid(n));
    }

    /** A name the workspace cannot take: blank, with a "/", or "." and "..". */
    static boolean invalid(String name) {
        String n = name == null ? "" : name.strip();
        return n.isEmpty() || n.contains("/") || n.equals(".") || n.equals("..");
    }

    private static String where(String folder) {
        return folder.isEmpty() ? "the workspace" : folder;
    }
}
