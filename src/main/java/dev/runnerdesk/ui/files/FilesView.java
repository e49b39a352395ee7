package dev.runnerdesk.ui.files;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * The Files tab: breadcrumbs, the actions, the folder's entries (folders first, then as the person sorts them), a
 * preview beside them (under them in a narrow pane), and the transfers of this session; built in code.
 */
final class FilesView {
    static final DateTimeFormatter MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    /** Narrower than this, the preview goes under the list instead of beside it. */
    private static final double SIDE_BY_SIDE = 620;
    /** The least height for the list with the preview under it: a few rows and a few lines. */
    private static final double MIN_STACKED = 300;
    final VBox root = new VBox(6);
    final HBox crumbs = new HBox(2);
    final Button upButton = iconButton("files-up", Feather.ARROW_UP, "Up one folder (Backspace, Alt+Up)");
    final Button refreshButton = iconButton("files-refresh", Feather.REFRESH_CW, "List the folder again (F5)");
    final Button uploadButton = iconButton("files-upload", Feather.UPLOAD,
            "Upload files from this computer into this folder (or drop files and folders on the list)");
    final Button downloadButton = iconButton("files-download", Feather.DOWNLOAD,
            "Download the selected files and folders to a folder you choose");
    final Button newFolderButton = iconButton("files-new-folder", Feather.FOLDER_PLUS, "New folder: make a folder here");
    final Button renameButton = iconButton("files-rename", Feather.EDIT_2, "Rename the selected entry (F2)");
    final Button deleteButton = iconButton("files-delete", Feather.TRASH_2, "Delete the selected entries (Delete)");
    final Button terminalButton = iconButton("files-terminal", Feather.TERMINAL,
            "Open the runner's terminal in this folder");
    final TableView<FileEntry> table = new TableView<>();
    final SortedList<FileEntry> sorted;
    final FilePreview preview = new FilePreview();
    final TransfersList transfers;
    final SplitPane split = new SplitPane();
    final Label status = new Label();
    final Label live = new Label();
    final WaitIndicator wait = new WaitIndicator("files-wait", false);
    private final FilesModel model;
    /** Where a breadcrumb click goes. */
    Consumer<String> onCrumb = path -> { };

    FilesView(FilesModel model) {
        this.model = model;
        root.setId("files-tab");
        root.setPadding(new Insets(6, 0, 0, 0));
        crumbs.setId("files-crumbs");
        crumbs.setAlignment(Pos.CENTER_LEFT);
        model.folder.addListener((o, was, now) -> renderCrumbs());
        renderCrumbs();

        FlowPane actions = new FlowPane(0, 0, upButton, refreshButton,
                RoleGate.wrap(uploadButton, model.writeWhy), RoleGate.wrap(downloadButton, model.downloadWhy),
                RoleGate.wrap(newFolderButton, model.writeWhy), RoleGate.wrap(renameButton, model.writeWhy),
                RoleGate.wrap(deleteButton, model.writeWhy), terminalButton);
        actions.setId("files-actions");
        actions.setAlignment(Pos.CENTER_LEFT);

        sorted = new SortedList<>(model.entries, FileTransfers.FOLDERS_FIRST);
        buildTable();
        transfers = new TransfersList(model);
        split.setId("files-split");
        split.getItems().addAll(table, preview.view());
        split.setDividerPositions(0.6);
        split.widthProperty().addListener((o, was, now) -> placePreview());
        split.heightProperty().addListener((o, was, now) -> placePreview());
        table.getSelectionModel().getSelectedItems().addListener((javafx.collections.ListChangeListener<FileEntry>) c -> placePreview());
        VBox.setVgrow(split, Priority.ALWAYS);

        status.setId("files-status");
        status.getStyleClass().add(Styles.TEXT_MUTED);
        status.textProperty().bind(model.status);
        status.setMinWidth(Region.USE_PREF_SIZE);
        live.setId("files-live");
        live.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        live.textProperty().bind(model.live);
        live.setWrapText(true);
        live.setMinHeight(Region.USE_PREF_SIZE);
        FlowPane foot = new FlowPane(12, 0, status, live);
        foot.setId("files-foot");
        // the crumbs and the actions share a line where there is room for both
        FlowPane head = new FlowPane(16, 2, crumbs, actions);
        head.setAlignment(Pos.CENTER_LEFT);
        root.getChildren().addAll(head, wait.view(), split, transfers.view(), foot);
        // in a narrow detail pane everything fits its width (lines wrap, columns shrink) rather than run past the edge
        for (Region r : new Region[] {head, split, table, foot, (Region) transfers.view(), transfers.list}) {
            r.setMinWidth(0);
        }
    }

    private void buildTable() {
        table.setId("files-table");
        table.setAccessibleText("Files");
        table.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.setItems(sorted);
        Label empty = new Label();
        empty.textProperty().bind(model.status);
        empty.setWrapText(true);
        table.setPlaceholder(empty);

        TableColumn<FileEntry, FileEntry> name = new TableColumn<>("Name");
        name.setId("files-name");
        name.setPrefWidth(220);
        name.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        name.setComparator(Comparator.comparing(FileEntry::name, String.CASE_INSENSITIVE_ORDER));
        name.setCellFactory(c -> new NameCell());
        TableColumn<FileEntry, Long> size = new TableColumn<>("Size");
        size.setId("files-size");
        size.setPrefWidth(80);
        size.setMinWidth(64);
        size.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue().isFolder() ? -1L : c.getValue().size()));
        size.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : v < 0 ? "" : FilesModel.size(v));
                setAlignment(Pos.CENTER_RIGHT);
            }
        });
        TableColumn<FileEntry, java.time.Instant> modified = new TableColumn<>("Modified");
        modified.setId("files-modified");
        modified.setPrefWidth(130);
        modified.setMinWidth(70);
        modified.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue().modified()));
        modified.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(java.time.Instant v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : MODIFIED.format(v));
            }
        });
        table.getColumns().setAll(java.util.List.of(name, size, modified));
        // folders stay first whichever column the person sorts by, and in whichever direction
        table.setSortPolicy(t -> {
            Comparator<FileEntry> chosen = t.getComparator();
            sorted.setComparator(chosen == null ? FileTransfers.FOLDERS_FIRST
                    : Comparator.comparing((FileEntry e) -> !e.isFolder()).thenComparing(chosen));
            return true;
        });
    }

    /**
     * Beside the list in a wide pane; in a narrow one under it, and only while one file is selected and there is the
     * height for both (a small window keeps its little height for the list).
     */
    private void placePreview() {
        boolean narrow = split.getWidth() < SIDE_BY_SIDE;
        var selected = table.getSelectionModel().getSelectedItems();
        boolean wanted = !narrow || selected.size() == 1 && !selected.get(0).isFolder() && split.getHeight() >= MIN_STACKED;
        Orientation orientation = narrow ? Orientation.VERTICAL : Orientation.HORIZONTAL;
        boolean shown = split.getItems().contains(preview.view());
        if (split.getOrientation() != orientation) {
            split.setOrientation(orientation);
        }
        if (wanted && !shown) {
            split.getItems().add(preview.view());
            split.setDividerPositions(0.6);
        } else if (!wanted && shown) {
            split.getItems().remove(preview.view());
        }
    }

    private void renderCrumbs() {
        crumbs.getChildren().clear();
        var all = model.crumbs();
        for (int i = 0; i < all.size(); i++) {
            String path = all.get(i);
            if (i > 0) {
                Label sep = new Label("/");
                sep.getStyleClass().add(Styles.TEXT_MUTED);
                crumbs.getChildren().add(sep);
            }
            if (i == all.size() - 1) {
                Label here = new Label(FilesModel.crumbName(path));
                here.setId("files-crumb-current");
                here.getStyleClass().add(Styles.TEXT_BOLD);
                here.setGraphic(i == 0 ? new FontIcon(Feather.HARD_DRIVE) : null);
                crumbs.getChildren().add(here);
            } else {
                Hyperlink link = new Hyperlink(FilesModel.crumbName(path));
                link.setId("files-crumb-" + i);
                link.setGraphic(i == 0 ? new FontIcon(Feather.HARD_DRIVE) : null);
                link.setOnAction(e -> onCrumb.accept(path));
                crumbs.getChildren().add(link);
            }
        }
    }

    Node node() {
        return root;
    }

    private static Button iconButton(String id, Feather icon, String tip) {
        Button b = new Button("", new FontIcon(icon));
        b.setId(id);
        b.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        b.setTooltip(new Tooltip(tip));
        b.setAccessibleText(tip);
        b.setMinWidth(Region.USE_PREF_SIZE);
        return b;
    }

    /** A name with an icon for its kind; a symlink says where it points. */
    private static final class NameCell extends TableCell<FileEntry, FileEntry> {
        @Override
        protected void updateItem(FileEntry e, boolean empty) {
            super.updateItem(e, empty);
            if (empty || e == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            Feather icon = switch (e.kind()) {
                case FOLDER -> Feather.FOLDER;
                case SYMLINK -> Feather.LINK;
                case OTHER -> Feather.HELP_CIRCLE;
                case FILE -> FilePreview.isImage(e.name()) ? Feather.IMAGE : Feather.FILE;
            };
            FontIcon i = new FontIcon(icon);
            if (e.isFolder()) {
                i.getStyleClass().add(Styles.ACCENT);
            }
            setGraphic(i);
            setText(e.name() + e.linkTarget().map(t -> " → " + t).orElse(""));
            setTooltip(new Tooltip(e.path().isEmpty() ? "workspace" : e.path()));
        }
    }
}
