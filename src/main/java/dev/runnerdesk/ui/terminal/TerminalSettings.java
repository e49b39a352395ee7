package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.Color;
import com.techsenger.jeditermfx.core.TerminalColor;
import com.techsenger.jeditermfx.core.TextStyle;
import com.techsenger.jeditermfx.core.emulator.ColorPalette;
import com.techsenger.jeditermfx.ui.TerminalActionPresentation;
import com.techsenger.jeditermfx.ui.settings.DefaultSettingsProvider;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.text.Font;

import java.util.List;
import java.util.Locale;

/**
 * The widget's settings: our colours and font, the scrollback cap, and key bindings that leave the
 * shell its keys — no Ctrl+L "clear buffer", find on Ctrl+Shift+F, copy and paste on Ctrl+Shift+C/V
 * (and ⌘C/⌘V on macOS).
 */
final class TerminalSettings extends DefaultSettingsProvider {
    static final int DEFAULT_SCROLLBACK = 10_000;
    static final float DEFAULT_FONT_SIZE = 14;
    static final String DEFAULT_FONT_FAMILY = "Monospaced";
    private static final boolean MAC = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");

    private volatile TerminalTheme theme;
    private final int scrollback;
    private volatile float fontSize = DEFAULT_FONT_SIZE;
    private volatile String fontFamily = DEFAULT_FONT_FAMILY;
    /**
     * The default colours as colours read when drawn, not when written: every cell written in them (after a reset,
     * an erase, a prompt) follows a theme switch, instead of keeping the theme it was written in.
     */
    private final TextStyle defaultStyle = new TextStyle(new TerminalColor(() -> new Color(theme().foreground)),
            new TerminalColor(() -> new Color(theme().background)));

    TerminalSettings(TerminalTheme theme, int scrollback) {
        this.theme = theme;
        this.scrollback = scrollback;
    }

    /** The font the terminal starts with (Settings → Terminal); Ctrl +/− change the size from there. */
    TerminalSettings withFont(String family, float size) {
        fontFamily = family == null || family.isBlank() ? DEFAULT_FONT_FAMILY : family;
        setFontSize(size);
        return this;
    }

    String fontFamily() {
        return fontFamily;
    }

    TerminalTheme theme() {
        return theme;
    }

    void setTheme(TerminalTheme newTheme) {
        theme = newTheme;
    }

    void setFontSize(float size) {
        fontSize = Math.max(8, Math.min(36, size));
    }

    @Override
    public float getTerminalFontSize() {
        return fontSize;
    }

    @Override
    public Font getTerminalFont() {
        return Font.font(fontFamily, fontSize);
    }

    @Override
    public ColorPalette getTerminalColorPalette() {
        return theme.palette();
    }

    @Override
    public TerminalColor getDefaultForeground() {
        return defaultStyle.getForeground();
    }

    @Override
    public TerminalColor getDefaultBackground() {
        return defaultStyle.getBackground();
    }

    @Override
    public TextStyle getDefaultStyle() {
        return defaultStyle;
    }

    @Override
    public TextStyle getSelectionColor() {
        return theme.selectionStyle();
    }

    @Override
    public int getBufferMaxLinesCount() {
        return scrollback;
    }

    @Override
    public TerminalActionPresentation getClearBufferActionPresentation() {
        // no key: Ctrl+L belongs to the shell (clear screen); the buffer is cleared from the menu
        return new TerminalActionPresentation("Clear Buffer", List.of());
    }

    @Override
    public TerminalActionPresentation getFindActionPresentation() {
        return new TerminalActionPresentation("Find", shortcut(KeyCode.F));
    }

    @Override
    public TerminalActionPresentation getCopyActionPresentation() {
        return new TerminalActionPresentation("Copy", shortcut(KeyCode.C));
    }

    @Override
    public TerminalActionPresentation getPasteActionPresentation() {
        return new TerminalActionPresentation("Paste", List.of(
                new KeyCodeCombination(KeyCode.V, KeyCombination.CONTROL_DOWN, KeyCombination.SHIFT_DOWN),
                new KeyCodeCombination(KeyCode.INSERT, KeyCombination.SHIFT_DOWN),
                new KeyCodeCombination(KeyCode.V, KeyCombination.META_DOWN)));
    }

    /** Ctrl+Shift+key everywhere, and ⌘+key on macOS. */
    private static List<KeyCombination> shortcut(KeyCode key) {
        KeyCombination ctrlShift = new KeyCodeCombination(key, KeyCombination.CONTROL_DOWN, KeyCombination.SHIFT_DOWN);
        return MAC ? List.of(ctrlShift, new KeyCodeCombination(key, KeyCombination.META_DOWN)) : List.of(ctrlShift);
    }

    @Override
    public boolean copyOnSelect() {
        return false;
    }

    @Override
    public boolean audibleBell() {
        return false;
    }
}
