package dev.runnerdesk.ui.runners;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.Runner;
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A row's hover buttons: open terminal, start or stop the session, copy the id, and "⋯" for the whole menu; subdued
 * until the pointer is over the row or the row is selected. They are not in the Tab order (a table row is one stop);
 * the keyboard has the same actions through the keys the row menu lists (Shift+F10).
 */
final class RunnerListActionCell extends TableCell<RunnerRow, Runner> {
    private static final List<String> SHOWN = List.of("terminal", "start", "stop", "copy-id");
    private final Function<Runner, List<RunnerRowAction>> actions;
    private final RunnerListRowMenu menu;
    private final HBox box = new HBox(2);
    private final InvalidationListener onRole = o -> render();

    RunnerListActionCell(RunnerListModel model, Function<Runner, List<RunnerRowAction>> actions, RunnerListRowMenu menu) {
        this.actions = actions;
        this.menu = menu;
        getStyleClass().add("row-actions-cell");
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("row-actions");
        // a change of role or connection changes what may be done, without a change of the runner
        for (var p : List.of(model.role, model.connected, model.actionsAllowed)) {
            p.addListener(new WeakInvalidationListener(onRole));
        }
        tableRowProperty().addListener((o, was, row) -> bindToRow(row));
    }

    /** Subdued until the pointer is over the row or the row is selected: a table full of bright buttons is noise. */
    private void bindToRow(TableRow<RunnerRow> row) {
        box.opacityProperty().unbind();
        if (row != null) {
            box.opacityProperty().bind(Bindings.when(Bindings.or(row.hoverProperty(), row.selectedProperty())).then(1.0).otherwise(0.45));
        }
    }

    @Override
    protected void updateItem(Runner runner, boolean empty) {
        super.updateItem(runner, empty);
        render();
    }

    private void render() {
        Runner runner = getItem();
        if (isEmpty() || runner == null) {
            setGraphic(null);
            return;
        }
        Map<String, RunnerRowAction> byId = actions.apply(runner).stream()
                .collect(Collectors.toMap(RunnerRowAction::id, a -> a));
        box.getChildren().clear();
        for (String id : SHOWN) {
            RunnerRowAction a = byId.get(id);
            // start or stop, whichever the runner is for; the other is in the menu
            if (a == null || (id.equals("start") && RunnerActions.hasSession(runner))
                    || (id.equals("stop") && !RunnerActions.hasSession(runner))) {
                continue;
            }
            box.getChildren().add(button(a));
        }
        Button more = new Button("", new FontIcon(Feather.MORE_HORIZONTAL));
        more.setId("row-more");
        style(more);
        more.setAccessibleText("More actions for " + runner.runnerId());
        more.setTooltip(new Tooltip("All actions (right click, Shift+F10)"));
        more.setOnAction(e -> {
            getTableView().getSelectionModel().clearAndSelect(getIndex());
            getTableView().getFocusModel().focus(getIndex());
            menu.showBelow(runner, more);
        });
        box.getChildren().add(more);
        setGraphic(box);
    }

    /** A button; disabled, it still says why on hover (a disabled node gets no hover, so the tip is on a wrapper). */
    private StackPane button(RunnerRowAction a) {
        Button b = new Button("", new FontIcon(a.icon()));
        b.setId("row-" + a.id());
        style(b);
        b.setAccessibleText(a.text());
        b.setDisable(!a.enabled());
        b.setOnAction(e -> a.run().run());
        StackPane wrapper = new StackPane(b);
        Tooltip tip = new Tooltip(a.describe());
        tip.setShowDelay(Duration.millis(300));
        Tooltip.install(wrapper, tip);
        return wrapper;
    }

    private static void style(Button b) {
        b.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL, "row-action");
        b.setFocusTraversable(false);
    }
}
