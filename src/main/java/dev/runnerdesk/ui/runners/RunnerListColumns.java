package dev.runnerdesk.ui.runners;

import dev.runnerdesk.ui.common.TableLayout;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fits the runner table's columns to its width: when they do not fit, the least important ones are hidden, and shown
 * again (most important first) once there is room. What the person chose comes first: a column they hid (the column
 * menu, remembered by {@link TableLayout}) stays hidden, and one they showed again stays shown (a less important one
 * gives way instead). Columns hidden for room are saved as shown.
 */
final class RunnerListColumns {
    /** Room for the vertical scroll bar and the column menu button. */
    private static final double CHROME = 20;
    private final TableView<RunnerRow> table;
    /** Most important first; the first {@code kept} are never hidden for room. */
    private final List<TableColumn<RunnerRow, ?>> byImportance;
    private final int kept;
    /** Columns the person showed while they were hidden for room: these stay. */
    private final Set<TableColumn<RunnerRow, ?>> wanted = new HashSet<>();
    /** Columns shown only by the person's choice (never hidden for room); their width leaves less for the others. */
    private final List<TableColumn<RunnerRow, ?>> chosen;
    private boolean fitting;

    RunnerListColumns(TableView<RunnerRow> table, List<TableColumn<RunnerRow, ?>> byImportance, int kept) {
        this(table, byImportance, kept, List.of());
    }

    RunnerListColumns(TableView<RunnerRow> table, List<TableColumn<RunnerRow, ?>> byImportance, int kept,
                      List<TableColumn<RunnerRow, ?>> chosen) {
        this.table = table;
        this.byImportance = List.copyOf(byImportance);
        this.kept = kept;
        this.chosen = List.copyOf(chosen);
        for (TableColumn<RunnerRow, ?> c : chosen) {
            c.visibleProperty().addListener(o -> fit());
            c.widthProperty().addListener(o -> fit());
        }
        table.widthProperty().addListener(o -> fit());
        for (TableColumn<RunnerRow, ?> c : byImportance) {
            c.visibleProperty().addListener((o, was, now) -> {
                if (fitting) {
                    return;
                }
                // the person's own choice, through the column menu or a restored layout
                if (now && TableLayout.isAutoHidden(c)) {
                    TableLayout.setAutoHidden(c, false);
                    wanted.add(c);
                } else if (!now) {
                    wanted.remove(c);
                }
                fit();
            });
            c.widthProperty().addListener(o -> fit());
        }
    }

    /** Hides what does not fit, least important first; shows again what fits, most important first. */
    void fit() {
        double room = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset() - CHROME
                - chosen.stream().filter(TableColumn::isVisible).mapToDouble(RunnerListColumns::width).sum();
        if (fitting || room <= 0) {
            return;
        }
        fitting = true;
        try {
            double used = byImportance.stream().filter(TableColumn::isVisible).mapToDouble(RunnerListColumns::width).sum();
            for (int i = byImportance.size() - 1; i >= kept && used > room; i--) {
                TableColumn<RunnerRow, ?> c = byImportance.get(i);
                if (c.isVisible() && !wanted.contains(c)) {
                    used -= width(c);
                    TableLayout.setAutoHidden(c, true);
                    c.setVisible(false);
                }
            }
            for (TableColumn<RunnerRow, ?> c : byImportance) {
                if (!TableLayout.isAutoHidden(c)) {
                    continue;
                }
                if (used + width(c) > room) {
                    break; // in order of importance: a less important column does not jump the queue
                }
                used += width(c);
                TableLayout.setAutoHidden(c, false);
                c.setVisible(true);
            }
        } finally {
            fitting = false;
        }
    }

    /** The columns hidden for room now (for tests and the column menu's hint). */
    List<TableColumn<RunnerRow, ?>> hiddenForRoom() {
        return byImportance.stream().filter(TableLayout::isAutoHidden).toList();
    }

    private static double width(TableColumn<?, ?> c) {
        return c.getWidth() > 0 ? c.getWidth() : c.getPrefWidth();
    }
}
