package dev.runnerdesk.ui.common;

import javafx.beans.InvalidationListener;
import javafx.collections.ObservableList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table's layout kept in the preferences: its columns' order, widths and visibility ({@code id:170,state:110:hidden,…})
 * and its sort order ({@code ttl:ASCENDING,…}), by column id. Restored once, then saved whenever the person changes it.
 */
public final class TableLayout {
    private static final double MIN_WIDTH = 40;
    private static final String AUTO_HIDDEN = TableLayout.class.getName() + ".autoHidden";

    private TableLayout() {
    }

    /** Restores what {@code prefs} hold for {@code table} under the two keys, then saves each change there. */
    public static <S> void remember(TableView<S> table, UiPreferences prefs, String columnsKey, String sortKey) {
        prefs.get(columnsKey).ifPresent(saved -> restoreColumns(table, saved));
        prefs.get(sortKey).ifPresent(saved -> restoreSort(table, saved));
        InvalidationListener save = o -> {
            prefs.put(columnsKey, columns(table));
            prefs.put(sortKey, sort(table));
        };
        table.getColumns().addListener(save);
        table.getSortOrder().addListener(save);
        for (TableColumn<S, ?> c : table.getColumns()) {
            c.widthProperty().addListener(save);
            c.sortTypeProperty().addListener(save);
            c.visibleProperty().addListener(save);
        }
    }

    /**
     * Marks a column hidden for lack of room (not by the person): it is saved as shown, so the person's own choice is
     * what is remembered. Mark it before hiding it, and unmark it before showing it.
     */
    public static void setAutoHidden(TableColumn<?, ?> column, boolean autoHidden) {
        if (autoHidden) {
            column.getProperties().put(AUTO_HIDDEN, Boolean.TRUE);
        } else {
            column.getProperties().remove(AUTO_HIDDEN);
        }
    }

    public static boolean isAutoHidden(TableColumn<?, ?> column) {
        return Boolean.TRUE.equals(column.getProperties().get(AUTO_HIDDEN));
    }

    /** The columns as saved: the known ones in the saved order, a column the text does not name after them. */
    static <S> void restoreColumns(TableView<S> table, String saved) {
        ObservableList<TableColumn<S, ?>> columns = table.getColumns();
        List<TableColumn<S, ?>> ordered = new ArrayList<>();
        for (String part : saved.split(",")) {
            String[] kv = part.split(":");
            column(columns, kv[0]).ifPresent(c -> {
                ordered.add(c);
                if (kv.length > 1) {
                    try {
                        c.setPrefWidth(Math.max(MIN_WIDTH, Double.parseDouble(kv[1])));
                    } catch (NumberFormatException ignored) {
                        // keep the default width
                    }
                }
                // saved without a mark: shown (a column hidden by default, turned on by the person, comes back on)
                c.setVisible(kv.length <= 2 || !"hidden".equals(kv[2]));
            });
        }
        columns.stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
        columns.setAll(ordered);
    }

    static <S> void restoreSort(TableView<S> table, String saved) {
        table.getSortOrder().clear();
        for (String part : saved.split(",")) {
            String[] kv = part.split(":");
            column(table.getColumns(), kv[0]).ifPresent(c -> {
                if (kv.length > 1) {
                    c.setSortType("DESCENDING".equals(kv[1]) ? TableColumn.SortType.DESCENDING : TableColumn.SortType.ASCENDING);
                }
                table.getSortOrder().add(c);
            });
        }
    }

    static <S> String columns(TableView<S> table) {
        StringBuilder cols = new StringBuilder();
        for (TableColumn<S, ?> c : table.getColumns()) {
            cols.append(cols.length() == 0 ? "" : ",").append(c.getId()).append(':')
                    .append(Math.round(c.getWidth() > 0 ? c.getWidth() : c.getPrefWidth()))
                    .append(c.isVisible() || isAutoHidden(c) ? "" : ":hidden");
        }
        return cols.toString();
    }

    static <S> String sort(TableView<S> table) {
        StringBuilder sort = new StringBuilder();
        for (TableColumn<S, ?> c : table.getSortOrder()) {
            sort.append(sort.length() == 0 ? "" : ",").append(c.getId()).append(':').append(c.getSortType().name());
        }
        return sort.toString();
    }

    private static <S> Optional<TableColumn<S, ?>> column(List<TableColumn<S, ?>> columns, String id) {
        return columns.stream().filter(c -> id.equals(c.getId())).findFirst();
    }
}
