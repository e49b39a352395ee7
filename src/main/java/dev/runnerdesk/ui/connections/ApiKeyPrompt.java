package dev.runnerdesk.ui.connections;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.ui.common.AppStylesheet;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.Optional;

/** Asks for a gateway's API key again after it was refused (401); the key is typed into a password field. */
public final class ApiKeyPrompt {
    private ApiKeyPrompt() {
    }

    public static Optional<String> ask(Window owner, String profileName, String reason) {
        ButtonType save = new ButtonType("_Save and connect", ButtonBar.ButtonData.OK_DONE);
        Dialog<String> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("API key");
        dialog.setHeaderText("Enter the API key for " + profileName);
        dialog.getDialogPane().setId("api-key-prompt");
        AppStylesheet.applyTo(dialog.getDialogPane());
        dialog.getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        PasswordField key = new PasswordField();
        key.setId("api-key-field");
        key.setPromptText("cm_sk_… or cm_gw_…");
        Label why = new Label(reason);
        why.setWrapText(true);
        why.getStyleClass().add(Styles.TEXT_MUTED);
        key.setAccessibleText("API key for " + profileName);
        VBox body = new VBox(10, why, key);
        body.setPadding(new Insets(12, 16, 8, 16));
        dialog.getDialogPane().setContent(body);
        dialog.getDialogPane().setPrefWidth(460);
        Button ok = (Button) dialog.getDialogPane().lookupButton(save);
        ok.setId("api-key-save");
        ok.disableProperty().bind(key.textProperty().isEmpty());
        dialog.setResultConverter(b -> b == save ? key.getText().trim() : null);
        dialog.setOnShown(e -> key.requestFocus());
        return dialog.showAndWait().filter(s -> !s.isEmpty());
    }
}
