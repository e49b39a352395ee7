package dev.runnerdesk.ui.common;

import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.scene.Node;
import javafx.scene.control.Dialog;
import javafx.scene.control.Labeled;
import javafx.scene.layout.Region;

/**
 * A dialog whose lines come and go (an error, a test's result, a wait) grows to fit them, so its buttons are never
 * pushed out of its window: once such a change is laid out, the window takes the size its content asks for. Labels
 * among the lines wrap over as many lines as they need instead of being cut.
 */
public final class DialogFit {
    private DialogFit() {
    }

    /** Refits {@code dialog} whenever one of {@code lines} is shown, hidden or changes its text or size. */
    public static void refitOn(Dialog<?> dialog, Node... lines) {
        InvalidationListener refit = o -> Platform.runLater(() -> fit(dialog));
        for (Node line : lines) {
            if (line instanceof Labeled labeled) {
                labeled.setMinHeight(Region.USE_PREF_SIZE);
                labeled.textProperty().addListener(refit);
            }
            line.visibleProperty().addListener(refit);
            line.boundsInLocalProperty().addListener(refit);
        }
    }

    /** Lays the dialog out and sizes its window to it, where it is shown. */
    public static void fit(Dialog<?> dialog) {
        var scene = dialog.getDialogPane().getScene();
        if (scene != null && scene.getWindow() != null) {
            dialog.getDialogPane().applyCss();
            dialog.getDialogPane().layout();
            scene.getWindow().sizeToScene();
        }
    }
}
