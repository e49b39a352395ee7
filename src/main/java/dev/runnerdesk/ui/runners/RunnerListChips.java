package dev.runnerdesk.ui.runners;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.RunnerState;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.SetChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The state chips ("All", then one per state with its count), fitted to the width: a chip is never cut; when they do
 * not all fit, the "State:" label goes first, then the least common states move into a "+N" menu that filters the
 * same way.
 */
final class RunnerListChips extends HBox {
    /** The order in which states leave the bar for the "+N" menu: the ones seen least go first. */
    private static final List<RunnerState> LEAVE_FIRST = List.of(RunnerState.EXPIRED, RunnerState.TERMINATED,
            RunnerState.FAILED, RunnerState.PROVISIONING, RunnerState.READY, RunnerState.RUNNING);
    private static final PseudoClass CHOSEN = PseudoClass.getPseudoClass("selected");
    final Map<RunnerState, ToggleButton> chips = new EnumMap<>(RunnerState.class);
    final ToggleButton all = new ToggleButton();
    final MenuButton more = new MenuButton();
    private final Label label = new Label("State:");
    private final Map<RunnerState, BooleanProperty> overflowed = new EnumMap<>(RunnerState.class);

    RunnerListChips(RunnerListModel model) {
        super(6);
        setId("state-chips");
        setAccessibleText("Filter by state");
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(0, 16, 10, 16));
        label.getStyleClass().add(Styles.TEXT_MUTED);
        label.setMinWidth(Region.USE_PREF_SIZE);
        all.setId("state-chip-all");
        chip(all);
        all.textProperty().bind(Bindings.concat("All  ", Bindings.size(model.rows).asString()));
        all.setTooltip(new Tooltip("Show runners of every state"));
        all.setAccessibleText("All states");
        all.setSelected(true);
        all.setOnAction(e -> {
            model.stateFilter.clear();
            all.setSelected(true); // "All" stays chosen while nothing else is
        });
        getChildren().addAll(label, all);
        more.setId("state-chips-more");
        more.getStyleClass().addAll("state-chip", Styles.SMALL, Styles.ROUNDED);
        more.setMinWidth(Region.USE_PREF_SIZE);
        more.setTooltip(new Tooltip("More states"));
        for (RunnerState s : RunnerState.values()) {
            ToggleButton chip = new ToggleButton();
            chip.setId("state-chip-" + s.wireName());
            chip(chip);
            chip.textProperty().bind(Bindings.concat(s.wireName(), "  ", model.count(s).asString()));
            chip.accessibleTextProperty().bind(Bindings.concat("Show ", s.wireName(), " runners: ", model.count(s).asString()));
            chip.setTooltip(new Tooltip("Show " + s.wireName() + " runners (with other chosen states)"));
            chip.selectedProperty().addListener((o, was, on) -> {
                if (on) {
                    model.stateFilter.add(s);
                } else {
                    model.stateFilter.remove(s);
                }
            });
            BooleanProperty out = new SimpleBooleanProperty();
            chip.visibleProperty().bind(out.not());
            chip.managedProperty().bind(chip.visibleProperty());
            overflowed.put(s, out);
            CheckMenuItem item = new CheckMenuItem();
            item.setId("state-menu-" + s.wireName());
            item.textProperty().bind(chip.textProperty());
            item.selectedProperty().bindBidirectional(chip.selectedProperty());
            item.visibleProperty().bind(out);
            more.getItems().add(item);
            chips.put(s, chip);
            getChildren().add(chip);
        }
        more.setVisible(false);
        more.managedProperty().bind(more.visibleProperty());
        getChildren().add(more);
        model.stateFilter.addListener((SetChangeListener<RunnerState>) c -> {
            chips.forEach((s, chip) -> chip.setSelected(model.stateFilter.contains(s)));
            all.setSelected(model.stateFilter.isEmpty());
            updateMore();
        });
    }

    private static void chip(ToggleButton chip) {
        chip.getStyleClass().addAll("state-chip", Styles.SMALL, Styles.ROUNDED);
        chip.setMinWidth(Region.USE_PREF_SIZE);
        chip.setFocusTraversable(true);
    }

    /**
     * Small, so the window may be narrower than every action labelled: what does not fit goes into the menu. (An
     * HBox's own minimum is the sum of its children's, which would push the whole view wider than the window.)
     */
    @Override
    protected double computeMinWidth(double height) {
        return snappedLeftInset() + snappedRightInset() + 120;
    }

    @Override
    protected void layoutChildren() {
        fit(getWidth());
        super.layoutChildren();
    }

    private void fit(double width) {
        double gap = getSpacing();
        double room = width - snappedLeftInset() - snappedRightInset() - all.prefWidth(-1);
        double need = label.prefWidth(-1) + gap;
        for (ToggleButton chip : chips.values()) {
            need += chip.prefWidth(-1) + gap;
        }
        boolean showLabel = need <= room;
        if (!showLabel) {
            need -= label.prefWidth(-1) + gap;
        }
        List<RunnerState> out = new ArrayList<>();
        if (need > room) {
            need += more.prefWidth(-1) + gap;
            for (RunnerState s : LEAVE_FIRST) {
                if (need <= room || s == RunnerState.RUNNING) {
                    break;
                }
                out.add(s);
                need -= chips.get(s).prefWidth(-1) + gap;
            }
        }
        label.setVisible(showLabel);
        label.setManaged(showLabel);
        overflowed.forEach((s, p) -> p.set(out.contains(s)));
        more.setVisible(!out.isEmpty());
        updateMore();
    }

    /** "+2", with a dot when a state in the menu is chosen (the filter is not only what the bar shows). */
    private void updateMore() {
        long hidden = overflowed.values().stream().filter(BooleanProperty::get).count();
        boolean chosen = overflowed.entrySet().stream().anyMatch(e -> e.getValue().get() && chips.get(e.getKey()).isSelected());
        String text = "+" + hidden + (chosen ? " •" : "");
        if (!text.equals(more.getText())) {
            more.setText(text);
        }
        more.setAccessibleText(hidden + " more states" + (chosen ? ", one of them chosen" : ""));
        more.pseudoClassStateChanged(CHOSEN, chosen);
    }
}
