package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.Runner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/** What the Files tab shows: the runner, the folder open in it, its entries, and the transfers of this session. */
final class FilesModel {
    /** The runner whose workspace is shown; null when none. */
    final ObjectProperty<Runner> runner = new SimpleObjectProperty<>();
    /** The open folder, workspace-relative; "" is the root. */
    final StringProperty folder = new SimpleStringProperty("");
    final ObservableList<FileEntry> entries = FXCollections.observableArrayList();
    /** A line under the list: how many entries, or why there are none. */
    final StringProperty status = new SimpleStringProperty("");
    /** Whether the listing follows changes by itself, or why not ("Live refresh is not available…"). */
    final StringProperty live = new SimpleStringProperty("");
    /** Empty when the person may upload, rename, delete and make folders here; otherwise why not. */
    final StringProperty writeWhy = new SimpleStringProperty("");
    /** Empty when the person may download (and preview) here; otherwise why not. */
    final StringProperty downloadWhy = new SimpleStringProperty("");
    /** True while the runner has a workspace to show (it is live and the backend has files). */
    final BooleanProperty usable = new SimpleBooleanProperty();
    /** This session's uploads and downloads, newest last. */
    final ObservableList<Transfer> transfers = FXCollections.observableArrayList();

    /** The folders from the root to the open one, each as a workspace path ("" first). */
    List<String> crumbs() {
        List<String> out = new ArrayList<>();
        out.add("");
        String f = folder.get();
        if (!f.isEmpty()) {
            int at = 0;
            while (at >= 0) {
                at = f.indexOf('/', at + 1);
                out.add(at < 0 ? f : f.substring(0, at));
            }
        }
        return out;
    }

    /** The name of a crumb: the last part of its path, or "workspace" for the root. */
    static String crumbName(String path) {
        return path.isEmpty() ? "workspace" : path.substring(path.lastIndexOf('/') + 1);
    }

    /** "3 folders, 12 files" (or "Empty folder"). */
    String summary() {
        long folders = entries.stream().filter(FileEntry::isFolder).count();
        long files = entries.size() - folders;
        if (entries.isEmpty()) {
            return "Empty folder";
        }
        return count(folders, "folder") + ", " + count(files, "file");
    }

    static String count(long n, String what) {
        return n + " " + (n == 1 ? what : what.endsWith("y") ? what.substring(0, what.length() - 1) + "ies" : what + "s");
    }

    /** A size for people: "512 B", "12.3 KiB", "4.0 MiB"; "—" when unknown (negative). */
    static String size(long bytes) {
        if (bytes < 0) {
            return "—";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Drops the transfers that ended (the list's "Clear finished"). */
    void clearFinished() {
        transfers.removeIf(Transfer::isFinished);
    }
}
