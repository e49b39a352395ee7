package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.RunnerState;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;

/** A runner state as a coloured badge with its name (colour is never the only signal). */
final class StateBadge {
    private StateBadge() {
    }

    static Label of(RunnerState state) {
        Label badge = new Label();
        style(badge, state);
        return badge;
    }

    static void style(Label badge, RunnerState state) {
        badge.setText(state.wireName());
        badge.setMinWidth(Region.USE_PREF_SIZE);
        badge.getStyleClass().removeIf(c -> c.startsWith("state-"));
        badge.getStyleClass().addAll("state-badge", "state-" + state.wireName());
    }
}
