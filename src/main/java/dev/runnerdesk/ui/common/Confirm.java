package dev.runnerdesk.ui.common;

import atlantafx.base.theme.Styles;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import java.util.List;

/**
 * The one confirmation before a destructive action: it names how many and which. Its text wraps in a dialog of bounded
 * width; the destructive button is red and never the default: the focus starts on Cancel, Escape cancels, and Enter
 * never destroys (on the destructive button it does nothing; Space or a click confirms).
 */
public final class Confirm {
    private static final int NAMED = 10;
    /** The dialog's width: long names wrap inside it instead of widening it past the window. */
    static final double WIDTH = 480;

    private Confirm() {
    }

    /** Asks once; true when the person confirmed. Buttons have ids {@code confirm-ok} and {@code confirm-cancel}. */
    public static boolean ask(Window owner, String title, String header, List<String> items, String detail, String okText) {
        return build(owner, title, header, items, detail, okText).showAndWait().filter(b -> b.getButtonData()
                == ButtonBar.ButtonData.OK_DONE).isPresent();
    }

    /** The dialog, not shown yet (tests look at it). */
    static Alert build(Window owner, String title, String header, List<String> items, String detail, String okText) {
        ButtonType ok = new ButtonType(okText, ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", ok, ButtonType.CANCEL);
        if (owner != null) {
            alert.initOwner(owner);
        }
        alert.setTitle(title);
        alert.setHeaderText(header);
        // the text is also the pane's content text (what it says, for tests and accessibility), shown by a wrapping label
        alert.getDialogPane().setContentText(content(items, detail));
        Label text = new Label(content(items, detail));
        text.setId("confirm-text");
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        text.setMaxWidth(WIDTH - 40);
        alert.getDialogPane().setContent(text);
        alert.getDialogPane().setId("confirm-dialog");
        alert.getDialogPane().setPrefWidth(WIDTH);
        alert.getDialogPane().setMaxWidth(WIDTH);
        alert.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        alert.setResizable(true);
        AppStylesheet.applyTo(alert.getDialogPane());
        Button confirm = (Button) alert.getDialogPane().lookupButton(ok);
        Button cancel = (Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL);
        confirm.setId("confirm-ok");
        cancel.setId("confirm-cancel");
        confirm.setMnemonicParsing(false);
        confirm.getStyleClass().add(Styles.DANGER);
        confirm.setDefaultButton(false);
        cancel.setDefaultButton(false);
        cancel.setCancelButton(true);
        confirm.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                e.consume();
            }
        });
        alert.setOnShown(e -> Platform.runLater(cancel::requestFocus));
        return alert;
    }

    static String content(List<String> items, String detail) {
        StringBuilder text = new StringBuilder();
        items.stream().limit(NAMED).forEach(i -> text.append("• ").append(i).append('\n'));
        if (items.size() > NAMED) {
            text.append("… and ").append(items.size() - NAMED).append(" more\n");
        }
        return text.append(items.isEmpty() ? "" : "\n").append(detail).toString();
    }
}
