package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.ViewLoader;
import javafx.animation.PauseTransition;
import javafx.scene.image.Image;
import javafx.util.Duration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Reads what the preview pane shows, off the FX thread: the first {@link FilePreview#TEXT_BYTES} of a text file or a
 * whole image. It waits a moment after the selection changes, so moving through the list with the arrow keys reads
 * only the file the person stops on (each read is a download, recorded as such). Nothing is read where the person may
 * not download.
 */
final class FilePreviewLoader {
    private final FilesController files;
    private final FilePreview pane;
    private final ViewLoader loader;
    private final PauseTransition settle = new PauseTransition(Duration.millis(250));
    private List<FileEntry> pending = List.of();

    FilePreviewLoader(FilesController files, ActiveConnection connection, TaskExecutor tasks) {
        this.files = files;
        this.pane = files.view.preview;
        this.loader = new ViewLoader(connection, tasks).showingWaitIn(pane.wait, "read the file for its preview",
                "Cancelled — not previewed; select the file again to try", () -> { });
        settle.setOnFinished(e -> load(pending));
    }

    /** The selection changed: the preview follows once it settles. */
    void selectionChanged(List<FileEntry> selected) {
        pending = selected;
        loader.cancel();
        if (selected.size() != 1) {
            settle.stop();
            pane.showMessage("Preview", selected.isEmpty() ? "Select a file to see its start here"
                    : selected.size() + " entries selected");
            return;
        }
        FileEntry e = selected.get(0);
        if (e.kind() != FileEntry.Kind.FILE) {
            settle.stop();
            pane.showMessage(e.name(), e.isFolder() ? "A folder — double-click it or press Enter to open it"
                    : e.linkTarget().map(t -> "A link to " + t).orElse("Not a regular file: nothing to preview"));
            return;
        }
        settle.playFromStart();
    }

    void clear() {
        settle.stop();
        loader.cancel();
        pending = List.of();
        pane.showMessage("Preview", "Select a file to see its start here");
    }

    private record Read(byte[] bytes, int length, Image image) {
    }

    private void load(List<FileEntry> selected) {
        Runner runner = files.model.runner.get();
        if (selected.size() != 1 || runner == null) {
            return;
        }
        FileEntry e = selected.get(0);
        String why = files.model.downloadWhy.get();
        if (!why.isEmpty()) {
            pane.showMessage(e.name(), "No preview: " + why);
            return;
        }
        boolean image = FilePreview.isImage(e.name());
        if (image && e.size() > FilePreview.IMAGE_BYTES) {
            pane.showMessage(e.name(), "Too large to preview (" + FilesModel.size(e.size()) + "); download it instead");
            return;
        }
        if (e.size() == 0) {
            pane.showText(e.name(), "", false);
            return;
        }
        String runnerId = runner.runnerId();
        pane.showMessage(e.name(), "Reading…");
        loader.load("Preview " + e.path(), service -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(e.size(), FilePreview.TEXT_BYTES));
            service.readFile(runnerId, e.path(), 0, image ? -1 : FilePreview.TEXT_BYTES, out);
            byte[] bytes = out.toByteArray();
            Image picture = image ? new Image(new ByteArrayInputStream(bytes)) : null;
            return new Read(bytes, bytes.length, picture);
        }, read -> {
            if (!files.isShown(runnerId) || !pending.equals(selected)) {
                return;
            }
            if (read.image() != null) {
                if (read.image().isError()) {
                    pane.showMessage(e.name(), "Not an image this app can show");
                } else {
                    pane.showImage(e.name(), read.image());
                }
                return;
            }
            String text = FilePreview.text(read.bytes(), read.length());
            if (text == null) {
                pane.showMessage(e.name(), "A binary file (" + FilesModel.size(e.size()) + "): no text to show");
            } else {
                pane.showText(e.name(), text, e.size() > FilePreview.TEXT_BYTES);
            }
        }, err -> pane.showMessage(e.name(), "Cannot preview: " + Notifier.describe(err)));
    }
}
