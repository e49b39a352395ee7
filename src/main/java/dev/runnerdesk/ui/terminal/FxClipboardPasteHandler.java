package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.ui.TerminalCopyPasteHandler;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
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

    /** Asks the person, in a dialog, whether to paste text of several lines. */
    static Predicate<String> confirmByAsking() {
        return text -> {
            int lines = lineCount(text);
            Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "Paste " + lines + " lines into the terminal? Each line"
                    + " runs as soon as it arrives.", ButtonType.OK, ButtonType.CANCEL);
            alert.setHeaderText("Paste " + lines + " lines?");
            return alert.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
        };
    }

    static int lineCount(String text) {
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return (int) trimmed.chars().filter(c -> c == '\n').count() + 1;
    }
}
