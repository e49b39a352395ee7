package dev.runnerdesk.policy;

/**
 * Where a terminal escape sequence ends (ECMA-48): CSI {@code ESC [ parameters intermediates final}, and
 * {@code ESC intermediates final}. An OSC ({@code ESC ]}) is taken as its two introducing characters: its text (a
 * window title) is scanned like any other.
 */
final class TerminalEscapes {
    static final char ESC = 0x1b;

    private TerminalEscapes() {
    }

    /**
     * The index after the sequence starting at {@code text[esc]} (an ESC), {@code esc + 1} if what follows cannot
     * be one, or -1 if it may still be completed by text after {@code end}.
     */
    static int end(CharSequence text, int esc, int end) {
        int i = esc + 1;
        if (i >= end) {
            return -1;
        }
        char c = text.charAt(i);
        if (c == '[') {
            for (i++; i < end; i++) {
                char b = text.charAt(i);
                if (b >= 0x40 && b <= 0x7e) {
                    return i + 1;
                }
                if (b < 0x20 || b > 0x3f) {
                    return esc + 1;
                }
            }
            return -1;
        }
        if (c == ']') {
            return i + 1;
        }
        for (; i < end; i++) {
            char b = text.charAt(i);
            if (b >= 0x30 && b <= 0x7e) {
                return i + 1;
            }
            if (b < 0x20 || b > 0x2f) {
                return esc + 1;
            }
        }
        return -1;
    }
}
