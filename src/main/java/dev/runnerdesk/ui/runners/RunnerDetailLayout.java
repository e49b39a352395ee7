package dev.runnerdesk.ui.runners;

import dev.runnerdesk.ui.common.UiPreferences;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;

import java.util.Locale;

/**
 * The detail pane's share of the Runners view: a sensible part of the width by default (it grows with the window,
 * the table keeps the rest), and where a person drags the divider, remembered across restarts.
 */
final class RunnerDetailLayout {
    /** The table's share of the width by default; the detail pane gets the other 42 %. */
    static final double DEFAULT_DIVIDER = 0.58;
    /** A divider dragged further than this leaves the table or the detail too narrow to use: not remembered. */
    private static final double MIN = 0.2;
    private static final double MAX = 0.85;

    private RunnerDetailLayout() {
    }

    static void remember(RunnerListView view, UiPreferences prefs) {
        view.detailDivider = () -> prefs.get(UiPreferences.RUNNER_DETAIL_DIVIDER).map(RunnerDetailLayout::parse)
                .orElse(DEFAULT_DIVIDER);
        SplitPane split = view.split;
        // the split pane gives a change of window width to the table alone; the detail pane keeps its share instead
        split.widthProperty().addListener((o, was, now) -> {
            if (split.getItems().size() == 2 && !split.isPressed()) {
                split.setDividerPositions(view.detailDivider.getAsDouble());
            }
        });
        split.getItems().addListener((ListChangeListener<Node>) c -> {
            if (split.getItems().size() == 2) {
                // the divider of a newly added detail pane: follow it while it is there
                split.getDividers().get(0).positionProperty().addListener((o, was, now) -> {
                    double p = now.doubleValue();
                    // only a drag (the mouse down on the split pane): not the pane keeping its minimum width
                    if (split.isPressed() && split.getItems().size() == 2 && p > MIN && p < MAX) {
                        prefs.put(UiPreferences.RUNNER_DETAIL_DIVIDER, String.format(Locale.ROOT, "%.3f", p));
                    }
                });
            }
        });
    }

    static double parse(String saved) {
        try {
            double p = Double.parseDouble(saved);
            return p > MIN && p < MAX ? p : DEFAULT_DIVIDER;
        } catch (NumberFormatException e) {
            return DEFAULT_DIVIDER;
        }
    }
}
