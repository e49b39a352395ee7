package dev.runnerdesk.ui.policy;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.List;

/**
 * The Policies view's PII scanning tab: one action per detector (a segmented choice, always one chosen) and a test
 * box that shows what a sample becomes with the settings as edited. Its own class so the view stays one screen's
 * layout and this tab can be read on its own.
 */
final class PiiScanningPane {
    final Node root;
    /** The tab's editing controls, which the view enables and disables with the rest for the person's role. */
    final List<Control> editors = new ArrayList<>();

    PiiScanningPane(PolicyModel model) {
        GridPane grid = new GridPane();
        grid.setId("pii-detectors");
        grid.setHgap(16);
        grid.setVgap(8);
        int row = 0;
        for (PiiDetector detector : PiiDetector.values()) {
            Label name = new Label(detector.wireName());
            name.getStyleClass().add(Styles.TEXT_BOLD);
            Label description = new Label(detector.description());
            description.getStyleClass().add(Styles.TEXT_MUTED);
            description.setWrapText(true);
            ToggleGroup group = new ToggleGroup();
            HBox segmented = new HBox();
            PiiAction[] actions = PiiAction.values();
            for (int i = 0; i < actions.length; i++) {
                PiiAction action = actions[i];
                ToggleButton b = new ToggleButton(action.wireName());
                b.setMnemonicParsing(false);
                b.setId("pii-" + detector.wireName().replace('_', '-') + "-" + action.wireName());
                b.setUserData(action);
                b.setToggleGroup(group);
                b.getStyleClass().add(i == 0 ? Styles.LEFT_PILL : i == actions.length - 1 ? Styles.RIGHT_PILL : Styles.CENTER_PILL);
                b.setMinWidth(70);
                editors.add(b);
                segmented.getChildren().add(b);
            }
            var property = model.pii.get(detector);
            Runnable sync = () -> group.getToggles().forEach(t -> t.setSelected(t.getUserData() == property.get()));
            property.addListener((o, was, now) -> sync.run());
            sync.run();
            group.selectedToggleProperty().addListener((o, was, now) -> {
                if (now == null) {
                    sync.run(); // one action is always chosen
                } else {
                    property.set((PiiAction) now.getUserData());
                }
            });
            grid.addRow(row++, name, segmented, description);
        }
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setMinWidth(110);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setMinWidth(230);
        ColumnConstraints c2 = new ColumnConstraints();
        c2.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(c0, c1, c2);

        Label explain = new Label("Exec output (and the argv in events) passes through the scanner: redact replaces a match "
                + "with [REDACTED:<detector>], block withholds the output and fails the call; every hit is a pii.detected event "
                + "with the count, never the value. New data directories start with every detector on redact.");
        explain.setWrapText(true);
        explain.getStyleClass().add(Styles.TEXT_MUTED);

        Label testTitle = new Label("Test box — what a sample becomes with the settings above (saved or not)");
        testTitle.getStyleClass().add(Styles.TEXT_BOLD);
        TextArea sample = new TextArea();
        sample.setId("pii-sample");
        sample.setPrefRowCount(3);
        sample.setWrapText(true);
        sample.textProperty().bindBidirectional(model.piiSample);
        TextArea preview = new TextArea();
        preview.setId("pii-preview");
        preview.setEditable(false);
        preview.setPrefRowCount(3);
        preview.setWrapText(true);
        preview.getStyleClass().add("monospace");
        preview.textProperty().bind(model.piiPreview);
        Label arrow = new Label("becomes", new FontIcon(Feather.ARROW_DOWN));
        arrow.getStyleClass().add(Styles.TEXT_MUTED);
        VBox box = new VBox(12, explain, grid, testTitle, sample, arrow, preview);
        box.setPadding(new Insets(12, 16, 16, 16));
        root = box;
    }
}
