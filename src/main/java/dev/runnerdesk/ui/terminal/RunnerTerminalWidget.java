package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.model.StyleState;
import com.techsenger.jeditermfx.core.model.TerminalTextBuffer;
import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import com.techsenger.jeditermfx.ui.TerminalCopyPasteHandler;
import com.techsenger.jeditermfx.ui.TerminalPanel;
import com.techsenger.jeditermfx.ui.settings.SettingsProvider;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JediTermFX 1.0.0 with the fixes for its defects seen here: modifier keys pressed alone no longer send
 * NUL; Ctrl+L and Ctrl+F stay with the shell (see {@link TerminalSettings}); copy and paste use the JavaFX
 * clipboard; the scrollback is trimmed in chunks ({@link ChunkedHistoryBuffer}); and the log noise of fast
 * scrolling is quieted. Adds font zoom (Ctrl +/−/0).
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
    /** Set from the super constructor (createDefaultStyle), so it has no initializer that would reset it. */
    private StyleState styleState;

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
    }

    @Override
    protected StyleState createDefaultStyle() {
        StyleState style = new StyleState();
        style.setDefaultStyle(((TerminalSettings) mySettingsProvider).getDefaultStyle());
        styleState = style;
        return style;
    }

    @Override
    protected TerminalPanel createTerminalPanel(SettingsProvider settingsProvider, StyleState styleState, TerminalTextBuffer buffer) {
        return new Panel(settingsProvider, buffer, styleState);
    }

    private void filterKeys(KeyEvent e) {
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

    /** Switches colours with the app's theme; what is on screen is redrawn in the new ones. */
    void applyTheme(TerminalTheme theme) {
        settings.setTheme(theme);
        styleState.setDefaultStyle(theme.defaultStyle());
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
    }
}
