package dev.runnerdesk.ui.common;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.testutil.Await;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The confirmation before a destructive action: wrapped text, a red button that Enter never presses, Escape cancels. */
@ExtendWith(ApplicationExtension.class)
class ConfirmTest {
    private static final String LONG_NAME = "runner_0123456789ab (a fake runner with a very long description that would "
            + "otherwise make the dialog wider than any window it belongs to, and then some more words)";
    private Stage stage;
    private final AtomicReference<Alert> shown = new AtomicReference<>();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 800, 600));
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> {
            if (shown.get() != null) {
                shown.get().close();
            }
        });
    }

    private Alert show(FxRobot robot) {
        robot.interact(() -> {
            Alert alert = Confirm.build(stage, "Terminate runners", "Terminate 2 runners?", List.of(LONG_NAME, "runner_fedcba987654"),
                    "Their sessions end. This cannot be undone.", "Terminate");
            shown.set(alert);
            alert.show();
        });
        Alert alert = shown.get();
        Button cancel = (Button) onFx(() -> alert.getDialogPane().lookupButton(ButtonType.CANCEL));
        Await.until(() -> onFx(cancel::isFocused), WAIT, "the focus on Cancel");
        return alert;
    }

    @Test
    void theDestructiveButtonIsRedAndNeverTheDefaultAndTheTextWraps(FxRobot robot) {
        Alert alert = show(robot);
        Button ok = (Button) onFx(() -> alert.getDialogPane().lookup("#confirm-ok"));
        Button cancel = (Button) onFx(() -> alert.getDialogPane().lookup("#confirm-cancel"));
        assertTrue(onFx(() -> ok.getStyleClass().contains(Styles.DANGER)), "the destructive button is red");
        assertFalse(onFx(ok::isDefaultButton), "and not the default");
        assertFalse(onFx(cancel::isDefaultButton), "Cancel is not the blue default either");
        assertTrue(onFx(cancel::isCancelButton), "Escape cancels");
        Label text = (Label) onFx(() -> alert.getDialogPane().lookup("#confirm-text"));
        assertTrue(onFx(() -> text.getText().contains(LONG_NAME)), "the names are all said");
        assertTrue(onFx(() -> alert.getDialogPane().getWidth()) <= Confirm.WIDTH + 1, "the width is bounded");
        assertTrue(onFx(() -> text.getHeight() >= text.prefHeight(text.getWidth()) - 1), "the wrapped text is not cut");
    }

    @Test
    void enterOnTheDestructiveButtonDoesNothingAndEscapeCancels(FxRobot robot) {
        Alert alert = show(robot);
        Button ok = (Button) onFx(() -> alert.getDialogPane().lookup("#confirm-ok"));
        robot.interact(ok::requestFocus);
        robot.type(KeyCode.ENTER);
        assertTrue(onFx(alert::isShowing), "Enter did not terminate anything");
        robot.type(KeyCode.ESCAPE);
        Await.until(() -> !onFx(alert::isShowing), WAIT, "Escape closed the dialog");
        assertEquals(ButtonType.CANCEL, onFx(alert::getResult));
    }

    @Test
    void enterWithTheFocusWhereItStartsCancels(FxRobot robot) {
        Alert alert = show(robot);
        robot.type(KeyCode.ENTER);
        Await.until(() -> !onFx(alert::isShowing), WAIT, "Enter on Cancel closed the dialog");
        assertEquals(ButtonType.CANCEL, onFx(alert::getResult));
    }
}
