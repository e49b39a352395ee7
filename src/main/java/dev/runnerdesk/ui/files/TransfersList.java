package dev.runnerdesk.ui.files;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Files tab's small list of this session's uploads and downloads: each with its progress and a Cancel while it
 * runs, and how it ended after; hidden while there are none.
 */
final class TransfersList {
    private static final double ROW = 32;
    private final VBox root = new VBox(2);
    final ListView<Transfer> list;
    final Button clearButton = new Button("Clear finished");

    TransfersList(FilesModel model) {
        list = new ListView<>(model.transfers);
        list.setId("files-transfers");
        // as tall as three transfers at most; one transfer takes one line
        list.prefHeightProperty().bind(Bindings.min(3, Bindings.size(model.transfers)).multiply(ROW).add(4));
        list.setMinHeight(ROW + 4);
        list.setFixedCellSize(ROW);
        list.setCellFactory(l -> new TransferCell());
        list.setAccessibleText("Transfers");
        Label title = new Label("Transfers");
        title.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_BOLD);
        clearButton.setId("files-transfers-clear");
        clearButton.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        clearButton.setOnAction(e -> model.clearFinished());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox head = new HBox(6, title, gap, clearButton);
        head.setAlignment(Pos.CENTER_LEFT);
        root.getChildren().addAll(head, list);
        root.visibleProperty().bind(Bindings.isNotEmpty(model.transfers));
        root.managedProperty().bind(root.visibleProperty());
    }

    Node view() {
        return root;
    }

    /** Name and direction, a bar, what it does now, and Cancel while it runs. */
    private static final class TransferCell extends ListCell<Transfer> {
        private final Label name = new Label();
        private final ProgressBar bar = new ProgressBar();
        private final Label state = new Label();
        private final Button cancel = new Button("Cancel");
        private final HBox line;

        TransferCell() {
            name.setMinWidth(60);
            name.setMaxWidth(220);
            bar.setPrefWidth(90);
            bar.setMinWidth(50);
            state.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            state.setMinWidth(40);
            HBox.setHgrow(state, Priority.ALWAYS);
            state.setMaxWidth(Double.MAX_VALUE);
            cancel.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
            cancel.setMinWidth(Region.USE_PREF_SIZE);
            line = new HBox(6, name, bar, state, cancel);
            line.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(Transfer t, boolean empty) {
            super.updateItem(t, empty);
            name.textProperty().unbind();
            bar.progressProperty().unbind();
            state.textProperty().unbind();
            cancel.visibleProperty().unbind();
            if (empty || t == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            name.setText(t.name);
            name.setGraphic(new FontIcon(t.direction == Transfer.Direction.UPLOAD ? Feather.UPLOAD : Feather.DOWNLOAD));
            name.setTooltip(new Tooltip((t.direction == Transfer.Direction.UPLOAD ? "Upload of " : "Download of ") + t.name));
            bar.progressProperty().bind(t.progress);
            state.textProperty().bind(t.state);
            state.setTooltip(new Tooltip());
            state.getTooltip().textProperty().bind(t.state);
            cancel.setId("files-transfer-cancel");
            cancel.visibleProperty().bind(t.finished.not());
            cancel.managedProperty().bind(cancel.visibleProperty());
            cancel.setOnAction(e -> t.cancel());
            cancel.setAccessibleText("Cancel the transfer of " + t.name);
            setText(null);
            setGraphic(line);
        }
    }
}
