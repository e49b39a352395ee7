package dev.runnerdesk.ui.runners;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.Runner;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The actions of a runner's row: a context menu (right click, the context-menu key or Shift+F10 on the focused row)
 * and the keys it lists, which work while the table has the focus. The menu is shown by hand rather than set on the
 * table, so its shortcuts are shown but not made window-wide accelerators (Ctrl+C must still copy text elsewhere).
 */
final class RunnerListRowMenu {
    static final KeyCombination TERMINAL = new KeyCodeCombination(KeyCode.ENTER);
    static final KeyCombination START = new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    static final KeyCombination STOP = new KeyCodeCombination(KeyCode.X, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination TIMELINE = new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    /** Delete is the window's accelerator (it terminates every selected runner); listed here, not handled twice. */
    static final KeyCombination TERMINATE = new KeyCodeCombination(KeyCode.DELETE);
    private static final KeyCombination MENU = new KeyCodeCombination(KeyCode.F10, KeyCombination.SHIFT_DOWN);

    final ContextMenu menu = new ContextMenu();
    private final TableView<RunnerRow> table;
    private final Function<Runner, List<RunnerRowAction>> actions;
    /** Tells the person why a key did nothing (e.g. "Cannot open a terminal: the runner has ended"). */
    private final Consumer<String> explain;

    RunnerListRowMenu(TableView<RunnerRow> table, Function<Runner, List<RunnerRowAction>> actions, Consumer<String> explain) {
        this.table = table;
        this.actions = actions;
        this.explain = explain;
        menu.setId("runner-row-menu");
        table.addEventHandler(ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            focused().ifPresent(r -> {
                if (e.isKeyboardTrigger()) {
                    showAtFocusedRow();
                } else {
                    show(r, table, e.getScreenX(), e.getScreenY());
                }
            });
            e.consume();
        });
        table.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        table.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && e.getTarget() instanceof Node n
                    && rowOf(n) != null) {
                run("terminal");
            }
        });
    }

    private void onKey(KeyEvent e) {
        if (e.getCode() == KeyCode.CONTEXT_MENU || MENU.match(e)) {
            if (focused().isPresent()) {
                showAtFocusedRow();
            }
            e.consume();
            return;
        }
        for (var entry : List.of(TERMINAL, START, STOP, COPY, TIMELINE)) {
            if (entry.match(e)) {
                if (focused().isPresent()) {
                    run(entry == TERMINAL ? "terminal" : entry == START ? "start" : entry == STOP ? "stop"
                            : entry == COPY ? "copy-id" : "timeline");
                    e.consume();
                }
                return;
            }
        }
    }

    /** Runs the action {@code id} on the focused runner, or says why it cannot. */
    void run(String id) {
        focused().ifPresent(r -> actions.apply(r).stream().filter(a -> a.id().equals(id)).findFirst().ifPresent(a -> {
            if (a.enabled()) {
                a.run().run();
            } else {
                explain.accept(a.text().replace("…", "") + ": not now — " + a.whyNot());
            }
        }));
    }

    /** Shows the menu of {@code runner} at a screen point. */
    void show(Runner runner, Node anchor, double screenX, double screenY) {
        fill(runner);
        menu.show(anchor, screenX, screenY);
    }

    /** Shows the menu of {@code runner} below {@code anchor} (the row's "⋯" button). */
    void showBelow(Runner runner, Node anchor) {
        fill(runner);
        menu.show(anchor, Side.BOTTOM, 0, 0);
    }

    /** Shows the menu under the focused row, for the keyboard. */
    void showAtFocusedRow() {
        Optional<Runner> runner = focused();
        if (runner.isEmpty()) {
            return;
        }
        int index = table.getFocusModel().getFocusedIndex();
        table.scrollTo(index);
        table.layout();
        Node anchor = table.lookupAll(".table-row-cell").stream()
                .filter(n -> n instanceof TableRow<?> row && row.getIndex() == index && !row.isEmpty())
                .findFirst().orElse(table);
        fill(runner.get());
        menu.show(anchor, Side.BOTTOM, 24, -4);
        if (!menu.getItems().isEmpty()) {
            menu.getItems().stream().filter(i -> !i.isDisable() && !(i instanceof SeparatorMenuItem)).findFirst()
                    .ifPresent(i -> menu.getSkin().getNode().requestFocus());
        }
    }

    private void fill(Runner runner) {
        menu.getItems().clear();
        boolean separated = false;
        for (RunnerRowAction a : actions.apply(runner)) {
            if (a.destructive() && !separated) {
                menu.getItems().add(new SeparatorMenuItem());
                separated = true;
            }
            MenuItem item = new MenuItem(a.enabled() ? a.text() : a.text() + " — " + a.whyNot());
            item.setId("row-menu-" + a.id());
            item.setGraphic(new FontIcon(a.icon()));
            a.shortcut().ifPresent(item::setAccelerator);
            item.setDisable(!a.enabled());
            if (a.destructive()) {
                item.getStyleClass().add(Styles.DANGER);
            }
            item.setOnAction(e -> a.run().run());
            menu.getItems().add(item);
        }
    }

    /** The focused row's runner (the one the keys act on). */
    private Optional<Runner> focused() {
        RunnerRow row = table.getFocusModel().getFocusedItem();
        if (row == null && !table.getSelectionModel().getSelectedItems().isEmpty()) {
            row = table.getSelectionModel().getSelectedItem();
        }
        return Optional.ofNullable(row).map(RunnerRow::runner);
    }

    private static TableRow<?> rowOf(Node n) {
        for (Node at = n; at != null; at = at.getParent()) {
            if (at instanceof TableRow<?> row) {
                return row.isEmpty() ? null : row;
            }
        }
        return null;
    }
}
