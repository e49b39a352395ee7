package dev.runnerdesk.ui.terminal;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.text.Font;

import java.util.Locale;
import java.util.TreeSet;

/** The fonts a terminal may use (Settings → Terminal): this computer's monospaced families, and the sizes. */
public final class TerminalFonts {
    public static final int MIN_SIZE = 8;
    public static final int MAX_SIZE = 36;
    public static final int DEFAULT_SIZE = (int) TerminalSettings.DEFAULT_FONT_SIZE;
    private static final String[] MONOSPACED_HINTS = {"mono", "courier", "consol", "menlo", "monaco", "code", "terminal", "fixed"};

    private TerminalFonts() {
    }

    /** JavaFX's logical "Monospaced" first, then the installed families whose names say they are monospaced. */
    public static ObservableList<String> families() {
        TreeSet<String> found = new TreeSet<>();
        for (String family : Font.getFamilies()) {
            String name = family.toLowerCase(Locale.ROOT);
            for (String hint : MONOSPACED_HINTS) {
                if (name.contains(hint)) {
                    found.add(family);
                    break;
                }
            }
        }
        found.remove(TerminalSettings.DEFAULT_FONT_FAMILY);
        ObservableList<String> list = FXCollections.observableArrayList(TerminalSettings.DEFAULT_FONT_FAMILY);
        list.addAll(found);
        return list;
    }

    /** A saved family, or the default when none was saved. */
    public static String family(String saved) {
        return saved == null || saved.isBlank() ? TerminalSettings.DEFAULT_FONT_FAMILY : saved;
    }

    /** A saved size held to the sizes offered. */
    public static int size(int saved) {
        return Math.max(MIN_SIZE, Math.min(MAX_SIZE, saved));
    }
}
