package dev.runnerdesk.ui.runners;

import javafx.scene.input.KeyCombination;
import org.kordamp.ikonli.feather.Feather;

import java.util.Optional;

/**
 * One thing a person can do to one runner (start a session, stop it, terminate, open its terminal, copy its id, open
 * its timeline), with whether it may be done now and why not. The row's context menu, its hover buttons and the
 * command palette show the same actions, so they are enabled by the same rules.
 *
 * @param id          stable name, for node ids and tests (e.g. {@code terminate})
 * @param text        what the menu says
 * @param icon        the icon of its button and menu item
 * @param shortcut    the key that does it while the runner is selected in the list, if there is one
 * @param whyNot      empty when it may be done; otherwise why not, e.g. "the runner has ended"
 * @param destructive true for what cannot be undone (styled as danger)
 * @param run         does it (the confirmation of a destructive action is part of it)
 */
public record RunnerRowAction(String id, String text, Feather icon, Optional<KeyCombination> shortcut, String whyNot,
                              boolean destructive, Runnable run) {
    public boolean enabled() {
        return whyNot.isEmpty();
    }

    /** The text with the reason when it cannot be done, for tooltips and screen readers. */
    public String describe() {
        String keys = shortcut.map(k -> " (" + k.getDisplayText() + ")").orElse("");
        return enabled() ? text + keys : text + " — " + whyNot;
    }
}
