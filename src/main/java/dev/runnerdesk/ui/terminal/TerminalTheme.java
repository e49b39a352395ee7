package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.Color;
import com.techsenger.jeditermfx.core.TerminalColor;
import com.techsenger.jeditermfx.core.TextStyle;
import com.techsenger.jeditermfx.core.emulator.ColorPalette;

/** Terminal colours matching the app's light and dark themes (GitHub Primer, like AtlantaFX's). */
enum TerminalTheme {
    LIGHT(0x1f2328, 0xffffff, 0xb6e3ff, new int[] {
            0x24292f, 0xcf222e, 0x116329, 0x4d2d00, 0x0969da, 0x8250df, 0x1b7c83, 0x6e7781,
            0x57606a, 0xa40e26, 0x1a7f37, 0x633c01, 0x218bff, 0xa475f9, 0x3192aa, 0x8c959f}),
    DARK(0xe6edf3, 0x0d1117, 0x264f78, new int[] {
            0x484f58, 0xff7b72, 0x3fb950, 0xd29922, 0x58a6ff, 0xbc8cff, 0x39c5cf, 0xb1bac4,
            0x6e7681, 0xffa198, 0x56d364, 0xe3b341, 0x79c0ff, 0xd2a8ff, 0x56d4dd, 0xffffff});

    final int foreground;
    final int background;
    private final int selection;
    private final int[] ansi;

    TerminalTheme(int foreground, int background, int selection, int[] ansi) {
        this.foreground = foreground;
        this.background = background;
        this.selection = selection;
        this.ansi = ansi;
    }

    private static TerminalColor color(int rgb) {
        return new TerminalColor(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
    }

    TextStyle selectionStyle() {
        return new TextStyle(color(foreground), color(selection));
    }

    ColorPalette palette() {
        return new ColorPalette() {
            @Override
            protected Color getForegroundByColorIndex(int index) {
                return new Color(ansi[index]);
            }

            @Override
            protected Color getBackgroundByColorIndex(int index) {
                return new Color(ansi[index]);
            }
        };
    }

    TextStyle defaultStyle() {
        return new TextStyle(color(foreground), color(background));
    }

    String backgroundCss() {
        return String.format("#%06x", background);
    }
}
