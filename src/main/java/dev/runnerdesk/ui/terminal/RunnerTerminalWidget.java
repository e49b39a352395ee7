package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.model.StyleState;
import com.techsenger.jeditermfx.core.model.TerminalTextBuffer;
import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import com.techsenger.jeditermfx.ui.TerminalCopyPasteHandler;
import com.techsenger.jeditermfx.ui.TerminalPanel;
import com.techsenger.jeditermfx.core.util.TermSize;
import com.techsenger.jeditermfx.ui.settings.SettingsProvider;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JediTermFX 1.0.0 with the fixes for its defects seen here: modifier keys pressed alone no longer send
 * NUL; Ctrl+L and Ctrl+F stay with the shell (see {@link TerminalSettings}); copy and paste use the JavaFX
 * clipboard; the scrollback is trimmed in chunks ({@link ChunkedHistoryBuffer}); the log noise of fast
 * scrolling is quieted; the find bar pushes the lines down instead of covering the first ones; and the app's
 * own shortcuts (Ctrl+Shift+D, Ctrl+1 …) reach the app, not the shell (no stray "D" typed). Adds font zoom
 * (Ctrl +/−/0) and a fixed size for replays.
 */
final class RunnerTerminalWidget extends JediTermFxWidget {
    /** Held so the setting is not lost to garbage collection of the logger. */
    private static final Logger QUIET = Logger.getLogger("com.techsenger.jeditermfx.core.model.TerminalTextBuffer");

    static {
        QUIET.setLevel(Level.OFF); // "Attempt to get line out of bounds" on every fast scroll, only ever logged
    }

    private final TerminalSettings settings;
    private final ChunkedHistoryBuffer history;
    private boolean swallowNextTyped;

    RunnerTerminalWidget(int columns, int rows, TerminalSettings settings, Predicate<String> confirmMultiLinePaste) {
        super(columns, rows, settings);
        this.settings = settings;
        ((Panel) getTerminalPanel()).confirmPaste = confirmMultiLinePaste;
        this.history = ChunkedHistoryBuffer.install(getTerminalTextBuffer(), settings.getBufferMaxLinesCount());
        getPane().addEventFilter(KeyEvent.KEY_PRESSED, this::filterKeys);
        getPane().addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if (swallowNextTyped) {
                swallowNextTyped = false;
                e.consume();
            }
        });
        getPane().setStyle("-fx-background-color: " + settings.theme().backgroundCss() + ";");
        getPane().getChildren().addListener((ListChangeListener<Node>) c -> makeRoomForFindBar());
    }

    /**
     * The library lays its find bar over the top of the lines; a margin of the bar's height above the lines makes it
     * push them down instead (the shell sees one or two rows fewer while it is open).
     */
    private void makeRoomForFindBar() {
        Node lines = getTerminalPanel().getPane();
        Region bar = getPane().getChildren().stream().filter(n -> n != lines && n instanceof Region).map(Region.class::cast)
                .findFirst().orElse(null);
        if (bar == null) {
            StackPane.setMargin(lines, null);
            return;
        }
        bar.setId("terminal-find-bar");
        Runnable push = () -> StackPane.setMargin(lines, new Insets(Math.max(bar.getHeight(), bar.prefHeight(-1)), 0, 0, 0));
        bar.heightProperty().addListener((o, was, now) -> push.run());
        push.run();
    }

    /** From now on the terminal keeps its size in cells whatever its pane's size (a replay: the recording says it). */
    void fixSize() {
        ((Panel) getTerminalPanel()).followsPane = false;
    }

    @Override
    protected TerminalPanel createTerminalPanel(SettingsProvider settingsProvider, StyleState styleState, TerminalTextBuffer buffer) {
        return new Panel(settingsProvider, buffer, styleState);
    }

    private void filterKeys(KeyEvent e) {
        swallowNextTyped = false;
        if (e.getCode().isModifierKey()) {
            e.consume(); // the library would send a NUL for a bare Shift/Ctrl/Alt/Super press
            return;
        }
        if (e.isControlDown() && !e.isShiftDown() && !e.isAltDown() && !e.isMetaDown() && e.getCode().isLetterKey()) {
            // Ctrl+letter is its control byte (Ctrl+A = 0x01) on every platform, whatever character the
            // toolkit puts in the KEY_TYPED that follows
            var starter = getTerminalStarter();
            if (starter != null) {
                starter.sendBytes(new byte[] {(byte) (e.getCode().getCode() - KeyCode.A.getCode() + 1)}, true);
                swallowNextTyped = true;
                e.consume();
                return;
            }
        }
        if ((e.isShortcutDown() || e.isControlDown()) && runAppShortcut(e)) {
            return;
        }
        if (e.isShortcutDown() && !e.isShiftDown() && !e.isAltDown()) {
            switch (e.getCode()) {
                case EQUALS, PLUS, ADD -> zoom(settings.getTerminalFontSize() + 1);
                case MINUS, SUBTRACT -> zoom(settings.getTerminalFontSize() - 1);
                case DIGIT0, NUMPAD0 -> zoom(TerminalSettings.DEFAULT_FONT_SIZE);
                default -> {
                    return;
                }
            }
            e.consume();
        }
    }

    /**
     * A chord of the app's (a scene accelerator with Ctrl or ⌘: Ctrl+Shift+D, Ctrl+Shift+M, Ctrl+1 …; Ctrl+letter
     * went to the shell above) runs here and the key ends: neither the key nor the character it types reaches the shell.
     */
    private boolean runAppShortcut(KeyEvent e) {
        Scene scene = getPane().getScene();
        if (scene == null) {
            return false;
        }
        for (var shortcut : scene.getAccelerators().entrySet()) {
            if (shortcut.getKey().match(e)) {
                e.consume();
                swallowNextTyped = true;
                shortcut.getValue().run();
                return true;
            }
        }
        return false;
    }

    /** Switches colours with the app's theme; what is on screen, scrollback included, is redrawn in the new ones. */
    void applyTheme(TerminalTheme theme) {
        settings.setTheme(theme);
        getPane().setStyle("-fx-background-color: " + theme.backgroundCss() + ";");
        getTerminalPanel().repaint();
    }

    void zoom(float size) {
        settings.setFontSize(size);
        ((Panel) getTerminalPanel()).refreshFont();
    }

    float fontSize() {
        return settings.getTerminalFontSize();
    }

    /** The theme the terminal shows now. */
    TerminalTheme theme() {
        return settings.theme();
    }

    /** Sets the font family and size (Settings → Terminal). */
    void setFont(String family, float size) {
        settings.withFont(family, size);
        ((Panel) getTerminalPanel()).refreshFont();
    }

    /** Lines that scrolled past the scrollback cap. */
    long droppedLines() {
        return history.dropped();
    }

    int scrollback() {
        return settings.getBufferMaxLinesCount();
    }

    /** The panel with a JavaFX clipboard and a public font refresh. */
    private static final class Panel extends TerminalPanel {
        private Predicate<String> confirmPaste = text -> true;
        private boolean followsPane = true;

        Panel(SettingsProvider settings, TerminalTextBuffer buffer, StyleState style) {
            super(settings, buffer, style);
        }

        @Override
        protected TerminalCopyPasteHandler createCopyPasteHandler() {
            // called from the super constructor: read the confirmation lazily, once it is set
            return new FxClipboardPasteHandler(text -> confirmPaste.test(text));
        }

        void refreshFont() {
            reinitFontAndResize();
        }

        @Override
        public TermSize getTerminalSizeFromComponent() {
            // null: "no size to take from the pane", so a fixed-size terminal is only resized by its data (CSI 8 t)
            return followsPane ? super.getTerminalSizeFromComponent() : null;
        }
    }
}
