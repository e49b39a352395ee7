package dev.runnerdesk.ui.terminal;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.function.Supplier;

/**
 * Holds a session's terminal in its tab, and lets it pop out into a window of its own; closing that window
 * (or "Bring it back") returns it to the tab, scrollback and shell intact.
 */
public final class TerminalHolder extends StackPane {
    private final TerminalView terminal;
    private final VBox placeholder;
    private Stage window;

    public TerminalHolder(TerminalView terminal, String title, Supplier<Window> owner) {
        this.terminal = terminal;
        setId("terminal-holder");
        Label away = new Label("This terminal is open in its own window.");
        away.getStyleClass().add(Styles.TEXT_MUTED);
        Button back = new Button("Bring it back");
        back.setId("terminal-bring-back");
        back.setOnAction(e -> window.close());
        placeholder = new VBox(10, away, back);
        placeholder.setAlignment(Pos.CENTER);
        placeholder.setPadding(new Insets(20));
        terminal.popOut.setOnAction(e -> popOut(title, owner.get()));
        attach();
    }

    private void attach() {
        terminal.popOut.setDisable(false);
        getChildren().setAll(terminal.view());
    }

    private void popOut(String title, Window owner) {
        if (window != null) {
            window.toFront();
            return;
        }
        terminal.popOut.setDisable(true);
        getChildren().setAll(placeholder);
        StackPane content = new StackPane(terminal.view());
        Scene scene = new Scene(content, 960, 600);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            scene.getAccelerators().putAll(owner.getScene().getAccelerators()); // the app's keys work there too
        }
        window = new Stage();
        window.setTitle(title);
        window.setScene(scene);
        window.setOnHidden(e -> {
            window = null;
            attach();
        });
        window.show();
        terminal.focusTarget().requestFocus();
    }

    /** Whether the terminal is in a window of its own. */
    public boolean isPoppedOut() {
        return window != null;
    }

    public TerminalView terminal() {
        return terminal;
    }
}
