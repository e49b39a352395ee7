package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.ui.TerminalCopyPasteHandler;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

import java.util.function.Predicate;

/**
 * Copy and paste through the JavaFX clipboard (the library's default goes through AWT, which throws
 * under a headless AWT on the FX thread). A paste of several lines is confirmed first.
 */
final class FxClipboardPasteHandler implements TerminalCopyPasteHandler {
    private final Predicate<String> confirmMultiLinePaste;

    FxClipboardPasteHandler(Predicate<String> confirmMultiLinePaste) {
        this.confirmMultiLinePaste = confirmMultiLinePaste;
    }

    @Override
    public void setContents(String text, boolean useSystemSelectionClipboardIfAvailable) {
        if (useSystemSelectionClipboardIfAvailable) {
            return; // there is no X11 primary selection in JavaFX; copy-on-select stays inside the widget
        }
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    @Override
    public String getContents(boolean useSystemSelectionClipboardIfAvailable) {
        if (useSystemSelectionClipboardIfAvailable) {
            return null;
        }
        String text = Clipboard.getSystemClipboard().getString();
        if (text == null) {
            return null;
        }
        if (lineCount(text) > 1 && !confirmMultiLinePaste.test(text)) {
            return null;
        }
        return text;
    }

    static int lineCount(String text) {
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return (int) trimmed.chars().filter(c -> c == '\n').count() + 1;
    }
}
