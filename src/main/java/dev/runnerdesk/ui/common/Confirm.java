package dev.runnerdesk.ui.common;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

import java.util.List;

/** The one confirmation before a destructive action: it names how many and which. */
public final class Confirm {
    private static final int NAMED = 10;

    private Confirm() {
    }

    /** Asks once; true when the person confirmed. Buttons have ids {@code confirm-ok} and {@code confirm-cancel}. */
    public static boolean ask(Window owner, String title, String header, List<String> items, String detail, String okText) {
        ButtonType ok = new ButtonType(okText, ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, content(items, detail), ok, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(header);
        alert.getDialogPane().setId("confirm-dialog");
        AppStylesheet.applyTo(alert.getDialogPane());
        alert.getDialogPane().lookupButton(ok).setId("confirm-ok");
        alert.getDialogPane().lookupButton(ButtonType.CANCEL).setId("confirm-cancel");
        // a destructive default would make Enter dangerous
        ((Button) alert.getDialogPane().lookupButton(ok)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return alert.showAndWait().filter(ok::equals).isPresent();
    }

    static String content(List<String> items, String detail) {
        StringBuilder text = new StringBuilder();
        items.stream().limit(NAMED).forEach(i -> text.append("• ").append(i).append('\n'));
        if (items.size() > NAMED) {
            text.append("… and ").append(items.size() - NAMED).append(" more\n");
        }
        return text.append('\n').append(detail).toString();
    }
}
