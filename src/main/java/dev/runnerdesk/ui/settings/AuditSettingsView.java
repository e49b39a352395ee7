package dev.runnerdesk.ui.settings;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Function;

/**
 * Settings → Audit: the chain's id and signing key (selectable, with Copy), the newest signed checkpoint, how many
 * events wait for the next one, why signing stopped if it did, and Export… with its progress.
 */
final class AuditSettingsView {
    final VBox root = new VBox(10);
    final Label notice = new Label();
    final GridPane grid = new GridPane();
    final TextField chainId = readOnly("audit-chain-id", 28);
    final Label keyId = new Label("—");
    final TextField publicKey = readOnly("audit-public-key", 36);
    final Button copyKey = new Button("Copy", new FontIcon(Feather.COPY));
    final Label retiredKeys = new Label();
    final Label lastCheckpoint = new Label("—");
    final Label unsigned = new Label("—");
    final Label signingProblem = new Label();
    final Button refresh = new Button("", new FontIcon(Feather.REFRESH_CW));
    final Button export = new Button("Export…", new FontIcon(Feather.DOWNLOAD));
    final ProgressBar exportProgress = new ProgressBar();
    final Button cancelExport = new Button("Cancel", new FontIcon(Feather.X));
    final Label exportStatus = new Label();
    final BooleanProperty exporting = new SimpleBooleanProperty();
    /** A status read that takes a while: what it waits for, for how long, and Cancel. */
    final WaitIndicator wait = new WaitIndicator("audit-settings-wait", false);
    final DoubleProperty progress = new SimpleDoubleProperty(-1);
    /** The grid and the export row: hidden where the backend keeps no signed trail. */
    final VBox details = new VBox(10);

    /** {@code exportGate} is the Export… button as the role gate wraps it. */
    AuditSettingsView(Function<Button, Node> exportGate) {
        root.setId("audit-settings");
        Label title = new Label("Audit trail");
        title.getStyleClass().add(Styles.TITLE_4);
        refresh.setId("audit-refresh");
        refresh.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        refresh.setAccessibleText("Refresh the audit trail's status");
        refresh.setTooltip(new Tooltip("Read the audit status again"));
        HBox titleRow = new HBox(8, title, refresh);
        titleRow.setAlignment(Pos.CENTER_LEFT);
        Label intro = new Label("Every event is hash-chained to the one before it, and checkpoints signed with this chain's "
                + "Ed25519 key make deleted, rewritten or swapped events detectable. Give the public key to whoever checks "
                + "an export: runnerdesk audit verify --file FILE --public-key KEY.");
        intro.setWrapText(true);
        intro.getStyleClass().add(Styles.TEXT_MUTED);
        notice.setId("audit-settings-notice");
        notice.setWrapText(true);
        notice.setMaxWidth(Double.MAX_VALUE);
        notice.setGraphic(new FontIcon(Feather.INFO));
        notice.getStyleClass().addAll("notice", "notice-warning");
        notice.setVisible(false);
        notice.managedProperty().bind(notice.visibleProperty());

        keyId.setId("audit-key-id");
        keyId.getStyleClass().add("monospace");
        copyKey.setId("audit-copy-key");
        copyKey.getStyleClass().add(Styles.SMALL);
        copyKey.setMinWidth(Region.USE_PREF_SIZE);
        copyKey.setTooltip(new Tooltip("Copy the public key (base64url, 32 bytes); runnerdesk audit key prints it as PEM too"));
        copyKey.setDisable(true);
        retiredKeys.setId("audit-retired-keys");
        retiredKeys.getStyleClass().add(Styles.TEXT_MUTED);
        retiredKeys.setWrapText(true);
        lastCheckpoint.setId("audit-last-checkpoint");
        lastCheckpoint.setWrapText(true);
        unsigned.setId("audit-unsigned");
        unsigned.setWrapText(true);
        signingProblem.setId("audit-signing-problem");
        signingProblem.setWrapText(true);
        signingProblem.setGraphic(new FontIcon(Feather.ALERT_OCTAGON));
        signingProblem.getStyleClass().add(Styles.DANGER);
        signingProblem.setVisible(false);
        signingProblem.managedProperty().bind(signingProblem.visibleProperty());
        retiredKeys.setVisible(false);
        retiredKeys.managedProperty().bind(retiredKeys.visibleProperty());

        grid.setId("audit-settings-grid");
        grid.setHgap(12);
        grid.setVgap(8);
        HBox keyRow = new HBox(8, publicKey, copyKey);
        keyRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(publicKey, Priority.ALWAYS);
        int row = 0;
        grid.addRow(row++, name("Chain id"), chainId);
        grid.addRow(row++, name("Signing key id"), keyId);
        grid.addRow(row++, name("Public key"), keyRow);
        grid.add(retiredKeys, 1, row++);
        grid.addRow(row++, name("Last checkpoint"), lastCheckpoint);
        grid.addRow(row++, name("Not signed yet"), unsigned);
        grid.add(signingProblem, 1, row);
        ColumnConstraints names = new ColumnConstraints();
        names.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        values.setFillWidth(true);
        grid.getColumnConstraints().setAll(names, values);

        export.setId("audit-export");
        export.setMinWidth(Region.USE_PREF_SIZE);
        export.setTooltip(new Tooltip("Write the whole trail — the keys, every signed checkpoint and every event — to a JSON "
                + "Lines file that anyone can verify offline"));
        exportProgress.setId("audit-export-progress");
        exportProgress.setPrefWidth(180);
        exportProgress.setMinWidth(60);
        exportProgress.progressProperty().bind(progress);
        cancelExport.setId("audit-export-cancel");
        cancelExport.getStyleClass().add(Styles.SMALL);
        cancelExport.setMinWidth(Region.USE_PREF_SIZE);
        for (Node n : new Node[] {exportProgress, cancelExport}) {
            n.visibleProperty().bind(exporting);
            n.managedProperty().bind(exporting);
        }
        exportStatus.setId("audit-export-status");
        exportStatus.setWrapText(true);
        exportStatus.setMinWidth(0);
        HBox.setHgrow(exportStatus, Priority.ALWAYS);
        HBox exportRow = new HBox(10, exportGate.apply(export), exportProgress, cancelExport, exportStatus);
        exportRow.setAlignment(Pos.CENTER_LEFT);
        details.setId("audit-settings-details");
        details.getChildren().addAll(grid, exportRow);
        details.managedProperty().bind(details.visibleProperty());
        root.getChildren().addAll(titleRow, intro, wait.view(), notice, details);
    }

    private static Label name(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    /** A value one can select and copy but not edit. */
    private static TextField readOnly(String id, int columns) {
        TextField f = new TextField("—");
        f.setId(id);
        f.setEditable(false);
        f.setPrefColumnCount(columns);
        f.setMinWidth(80);
        f.getStyleClass().add("monospace");
        f.setFocusTraversable(true);
        return f;
    }

    /** Says {@code text} in the notice (empty hides it). */
    void notice(String text) {
        notice.setText(text);
        notice.setVisible(!text.isEmpty());
    }

    /** The export line's text, red for a failure. */
    void exportStatus(String text, boolean failed) {
        exportStatus.setText(text);
        exportStatus.getStyleClass().remove(Styles.DANGER);
        if (failed) {
            exportStatus.getStyleClass().add(Styles.DANGER);
        }
    }
}
