package dev.runnerdesk.ui.runners;

import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The runner list's header, fitted to its width: the actions are labelled buttons when there is room, icons (with
 * their name as tooltip and accessible text) when narrow, and what still does not fit goes into a "⋯" menu, least
 * important first. The title, the count and the filter's minimum width are never cut.
 */
final class RunnerListToolbar extends HBox {
    /** An action of the header: its button, the node the layout holds (a role gate around it) and its menu twin. */
    private record Action(Button button, Node inLayout, int keep, ObservableBooleanValue shown, BooleanProperty overflowed) {
    }

    final MenuButton overflow = new MenuButton("", new FontIcon(Feather.MORE_HORIZONTAL));
    private final List<Action> actions = new ArrayList<>();
    private final List<Node> fixed = new ArrayList<>();
    private final Region filter;
    private boolean iconsOnly;

    /**
     * @param leading what comes first and is never cut (title, count, marks)
     * @param flexible what may shrink to nothing first (the transient "Copied …" line, a spacer)
     * @param filter   the filter field, which shrinks to its minimum width before the actions give way
     */
    RunnerListToolbar(List<Node> leading, List<Node> flexible, Region filter) {
        super(10);
        this.filter = filter;
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(14, 16, 8, 16));
        getChildren().addAll(leading);
        getChildren().addAll(flexible);
        getChildren().add(filter);
        fixed.addAll(leading);
        for (Node n : leading) {
            if (n instanceof Region r) {
                r.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
        for (Node n : flexible) {
            if (n instanceof Region r) {
                r.setMinWidth(0);
            }
        }
        overflow.setId("runner-actions-overflow");
        overflow.getStyleClass().add("runner-actions-overflow");
        overflow.setTooltip(new Tooltip("More actions"));
        overflow.setAccessibleText("More actions");
        overflow.setMinWidth(Region.USE_PREF_SIZE);
        overflow.setVisible(false);
        overflow.managedProperty().bind(overflow.visibleProperty());
    }

    /**
     * Adds an action. {@code keep}: the higher, the longer it stays out of the "⋯" menu. {@code shown}: whether it is
     * offered at all; {@code reason}: why it is disabled, shown in the menu as on hover.
     */
    void add(Button button, Node inLayout, int keep, ObservableBooleanValue shown, ObservableValue<String> reason) {
        BooleanProperty overflowed = new SimpleBooleanProperty();
        button.visibleProperty().bind(Bindings.createBooleanBinding(() -> shown.get() && !overflowed.get(), shown, overflowed));
        button.managedProperty().bind(button.visibleProperty());
        button.setMinWidth(Region.USE_PREF_SIZE);
        if (button.getAccessibleText() == null) {
            button.setAccessibleText(plain(button.getText()));
        }
        MenuItem item = new MenuItem();
        item.setId(button.getId() == null ? null : button.getId() + "-menu");
        item.setGraphic(new FontIcon(((FontIcon) button.getGraphic()).getIconCode()));
        item.textProperty().bind(Bindings.createStringBinding(() -> {
            String why = reason.getValue() == null ? "" : reason.getValue();
            String name = button.getAccessibleText();
            return button.isDisabled() && !why.isEmpty() ? name + " — " + why : name;
        }, button.disabledProperty(), reason));
        item.disableProperty().bind(button.disabledProperty());
        item.visibleProperty().bind(Bindings.createBooleanBinding(() -> shown.get() && overflowed.get(), shown, overflowed));
        item.setOnAction(e -> button.fire());
        overflow.getItems().add(item);
        actions.add(new Action(button, inLayout, keep, shown, overflowed));
        getChildren().add(inLayout);
        getChildren().remove(overflow);
        getChildren().add(overflow);
    }

    /** True while some actions show their icon only (for tests). */
    boolean iconsOnly() {
        return iconsOnly;
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

    /**
     * Fits the actions into {@code width}: all labelled if they fit; else the least important become icons, one by one,
     * until they fit; else the least important go into the "⋯" menu. The most important one stays out of the menu.
     */
    private void fit(double width) {
        List<Action> offered = actions.stream().filter(RunnerListToolbar::shown).toList();
        double gap = getSpacing();
        double room = width - snappedLeftInset() - snappedRightInset();
        for (Node n : fixed) {
            if (n.isManaged()) {
                room -= n.prefWidth(-1) + gap;
            }
        }
        room -= filter.minWidth(-1) + gap;
        List<Action> byKeep = new ArrayList<>(offered);
        byKeep.sort(Comparator.comparingInt(Action::keep));
        double need = offered.stream().mapToDouble(a -> labelledWidth(a.button) + gap).sum();
        List<Action> icons = new ArrayList<>();
        for (Action a : byKeep) {
            if (need <= room) {
                break;
            }
            icons.add(a);
            need -= labelledWidth(a.button) - iconWidth(a.button);
        }
        List<Action> out = new ArrayList<>();
        if (need > room) {
            need += overflow.prefWidth(-1) + gap;
            for (Action a : byKeep.subList(0, Math.max(0, byKeep.size() - 1))) {
                if (need <= room) {
                    break;
                }
                out.add(a);
                need -= iconWidth(a.button) + gap;
            }
        }
        iconsOnly = !icons.isEmpty();
        for (Action a : actions) {
            ContentDisplay display = icons.contains(a) ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT;
            if (a.button.getContentDisplay() != display && !a.button.getText().isEmpty()) {
                a.button.setContentDisplay(display);
            }
            a.overflowed.set(out.contains(a));
        }
        overflow.setVisible(!out.isEmpty());
    }

    private static boolean shown(Action a) {
        return a.shown.get();
    }

    private static double iconWidth(Button b) {
        return b.snappedLeftInset() + b.snappedRightInset() + (b.getGraphic() == null ? 0 : b.getGraphic().prefWidth(-1));
    }

    private static double labelledWidth(Button b) {
        if (b.getText() == null || b.getText().isEmpty()) {
            return iconWidth(b);
        }
        Text text = new Text(plain(b.getText()));
        text.setFont(b.getFont());
        return Math.ceil(iconWidth(b) + b.getGraphicTextGap() + text.getLayoutBounds().getWidth()) + 2;
    }

    /** A label without its mnemonic mark. */
    private static String plain(String text) {
        return text == null ? "" : text.replace("_", "");
    }
}
