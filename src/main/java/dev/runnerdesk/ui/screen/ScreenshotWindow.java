package dev.runnerdesk.ui.screen;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.ui.common.AppStylesheet;
import javafx.geometry.Insets;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;

/** A screenshot at full size in a window of its own, scrollable, with the action's mark and caption. */
public final class ScreenshotWindow {
    private ScreenshotWindow() {
    }

    public static Stage open(Window owner, Image image, ComputerAction action) {
        ScreenshotPane pane = new ScreenshotPane(false);
        pane.show(image, action);
        ScrollPane scroll = new ScrollPane(pane);
        scroll.setPannable(true);
        Label caption = new Label(action.stepCaption() + "  ·  " + action.screenshot().orElse("") + "  ·  "
                + (int) image.getWidth() + "×" + (int) image.getHeight());
        caption.setId("screenshot-window-caption");
        caption.getStyleClass().add(Styles.TEXT_MUTED);
        caption.setPadding(new Insets(6, 10, 6, 10));
        BorderPane root = new BorderPane(scroll);
        root.setId("screenshot-window");
        root.setTop(caption);
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(image.getWidth() + 24, screen.getWidth() * 0.9),
                Math.min(image.getHeight() + 60, screen.getHeight() * 0.9));
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        } else {
            scene.getStylesheets().add(AppStylesheet.url());
        }
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle(action.runnerId() + " · " + action.stepCaption());
        stage.setScene(scene);
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                stage.close();
            }
        });
        stage.show();
        return stage;
    }
}
