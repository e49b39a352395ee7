package dev.runnerdesk.ui.common;

import dev.runnerdesk.testutil.MemorySettings;
import dev.runnerdesk.ui.OnFxThread;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A table's columns and sort come back as the person left them, and each change is saved. */
@ExtendWith(OnFxThread.class)
class TableLayoutTest {
    private static final String COLUMNS = UiPreferences.RUNNER_COLUMNS;
    private static final String SORT = UiPreferences.RUNNER_SORT;

    private static TableView<String> table() {
        TableView<String> table = new TableView<>();
        for (String id : List.of("id", "state", "ttl", "provider")) {
            TableColumn<String, String> c = new TableColumn<>(id);
            c.setId(id);
            c.setPrefWidth(100);
            table.getColumns().add(c);
        }
        return table;
    }

    private static UiPreferences prefs(Map<String, String> stored) {
        return UiPreferences.load(new MemorySettings(stored));
    }

    private static List<String> ids(TableView<String> table) {
        return table.getColumns().stream().map(TableColumn::getId).toList();
    }

    @Test
    void savedOrderWidthsVisibilityAndSortAreRestored() {
        TableView<String> table = table();
        TableLayout.restoreColumns(table, "ttl:170,gone:80,id:30,state:120:hidden");
        assertEquals(List.of("ttl", "id", "state", "provider"), ids(table), "unknown ids are skipped, unnamed columns follow");
        assertEquals(170, table.getColumns().get(0).getPrefWidth());
        assertEquals(40, table.getColumns().get(1).getPrefWidth(), "no column narrower than 40");
        assertFalse(table.getColumns().get(2).isVisible());
        assertTrue(table.getColumns().get(3).isVisible());

        TableLayout.restoreSort(table, "state:DESCENDING,ttl:ASCENDING");
        assertEquals(List.of("state", "ttl"), table.getSortOrder().stream().map(TableColumn::getId).toList());
        assertEquals(TableColumn.SortType.DESCENDING, table.getSortOrder().get(0).getSortType());
    }

    @Test
    void aDamagedWidthKeepsTheDefault() {
        TableView<String> table = table();
        TableLayout.restoreColumns(table, "id:wide,state");
        assertEquals(List.of("id", "state", "ttl", "provider"), ids(table));
        assertEquals(100, table.getColumns().get(0).getPrefWidth());
    }

    @Test
    void changesAreSavedAndReadBackIntoAFreshTable() {
        Map<String, String> stored = new HashMap<>();
        UiPreferences prefs = prefs(stored);
        TableView<String> table = table();
        TableLayout.remember(table, prefs, COLUMNS, SORT);
        TableColumn<String, ?> ttl = table.getColumns().get(2);
        table.getColumns().remove(ttl);
        table.getColumns().add(0, ttl);
        table.getColumns().get(3).setVisible(false);
        ttl.setSortType(TableColumn.SortType.DESCENDING);
        table.getSortOrder().setAll(List.of(ttl));
        assertEquals("ttl:100,id:100,state:100,provider:100:hidden", prefs.get(COLUMNS).orElseThrow());
        assertEquals("ttl:DESCENDING", prefs.get(SORT).orElseThrow());

        TableView<String> again = table();
        TableLayout.remember(again, prefs, COLUMNS, SORT);
        assertEquals(List.of("ttl", "id", "state", "provider"), ids(again));
        assertFalse(again.getColumns().get(3).isVisible());
        assertEquals("ttl", again.getSortOrder().get(0).getId());
    }
}
