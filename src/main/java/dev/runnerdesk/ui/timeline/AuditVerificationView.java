package dev.runnerdesk.ui.timeline;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.Locale;

/**
 * Verify all's pieces: the button (beside the chain badge), and a line under it that shows the running verification
 * (bar, percentage, Cancel) or how it ended (with "Show seq N" at a problem), wrapped rather than cut at 800×600.
 */
final class AuditVerificationView {
    final Button verifyButton = new Button("Verify all", new FontIcon(Feather.SHIELD));
    final HBox bar = new HBox(10);
    final ProgressBar progressBar = new ProgressBar();
    final Label progressText = new Label();
    final Button cancelButton = new Button("Cancel", new FontIcon(Feather.X));
    final Label result = new Label();
    final Hyperlink showSeq = new Hyperlink();
    final Button dismissButton = new Button("", new FontIcon(Feather.X));

    AuditVerificationView(AuditVerificationModel model) {
        verifyButton.setId("timeline-verify-all");
        verifyButton.getStyleClass().add(Styles.SMALL);
        verifyButton.setTooltip(new Tooltip("Check every event of the whole trail against its hash, its link and the signed "
                + "checkpoints, in the background"));
        verifyButton.setMinWidth(Region.USE_PREF_SIZE);

        bar.setId("timeline-verify-bar");
        bar.getStyleClass().add("verify-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 16, 8, 16));
        bar.visibleProperty().bind(model.running.or(model.outcome.isNotEqualTo(AuditVerificationModel.Outcome.NONE)));
        bar.managedProperty().bind(bar.visibleProperty());

        progressBar.setId("timeline-verify-progress");
        progressBar.setPrefWidth(220);
        progressBar.setMinWidth(80);
        progressBar.progressProperty().bind(model.progress);
        progressText.setId("timeline-verify-progress-text");
        progressText.textProperty().bind(model.progressText);
        progressText.setMinWidth(0);
        cancelButton.setId("timeline-verify-cancel");
        cancelButton.getStyleClass().addAll(Styles.SMALL);
        cancelButton.setMinWidth(Region.USE_PREF_SIZE);
        cancelButton.setTooltip(new Tooltip("Stop verifying; nothing is changed"));
        showing(model.running, progressBar, progressText, cancelButton);

        result.setId("timeline-verify-result");
        result.textProperty().bind(model.resultText);
        result.setWrapText(true);
        result.setMinWidth(0);
        result.setMinHeight(Region.USE_PREF_SIZE);
        result.setMaxWidth(Region.USE_PREF_SIZE);
        result.tooltipProperty().bind(Bindings.createObjectBinding(() -> model.resultText.get().isEmpty() ? null
                : new Tooltip(model.resultText.get()), model.resultText));
        model.outcome.addListener((o, was, now) -> styleResult(now));
        styleResult(model.outcome.get());
        showSeq.setId("timeline-verify-show-seq");
        showSeq.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT, "Show seq %,d",
                model.problemSeq.get()), model.problemSeq));
        showSeq.setTooltip(new Tooltip("Show the events around it in the timeline, with it selected"));
        showSeq.setMinWidth(Region.USE_PREF_SIZE);
        dismissButton.setId("timeline-verify-dismiss");
        dismissButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        dismissButton.setTooltip(new Tooltip("Hide this result (the chain badge keeps a problem)"));
        showing(model.running.not(), result, dismissButton);
        showing(model.running.not().and(model.problemSeq.greaterThan(0)), showSeq);

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        bar.getChildren().addAll(progressBar, progressText, cancelButton, result, showSeq, spacer, dismissButton);
    }

    private static void showing(ObservableValue<Boolean> when, Node... nodes) {
        for (Node n : nodes) {
            n.visibleProperty().bind(when);
            n.managedProperty().bind(n.visibleProperty());
        }
    }

    private void styleResult(AuditVerificationModel.Outcome outcome) {
        result.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER, Styles.TEXT_MUTED);
        bar.getStyleClass().removeIf(c -> c.startsWith("verify-bar-"));
        FontIcon icon = switch (outcome) {
            case VERIFIED -> new FontIcon(Feather.CHECK_CIRCLE);
            case PROBLEM -> new FontIcon(Feather.X_OCTAGON);
            case ERROR -> new FontIcon(Feather.ALERT_TRIANGLE);
            case CANCELLED -> new FontIcon(Feather.SLASH);
            case NONE -> null;
        };
        result.setGraphic(icon);
        switch (outcome) {
            case VERIFIED -> result.getStyleClass().add(Styles.SUCCESS);
            case PROBLEM, ERROR -> result.getStyleClass().add(Styles.DANGER);
            case CANCELLED -> result.getStyleClass().add(Styles.TEXT_MUTED);
            case NONE -> { }
        }
        bar.getStyleClass().add("verify-bar-" + outcome.name().toLowerCase(Locale.ROOT));
    }
}
