package dev.runnerdesk.ui.screen;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The Screen tab: the screenshot after an action, its caption, and the controls to step through the session. */
final class ScreenView {
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    final VBox root = new VBox(8);
    final ScreenshotPane screenshot = new ScreenshotPane(true);
    final Label caption = new Label();
    final Label position = new Label();
    final Label status = new Label();
    final Button firstButton = new Button("", new FontIcon(Feather.SKIP_BACK));
    final Button backButton = new Button("", new FontIcon(Feather.CHEVRON_LEFT));
    final Button forwardButton = new Button("", new FontIcon(Feather.CHEVRON_RIGHT));
    final Button latestButton = new Button("", new FontIcon(Feather.SKIP_FORWARD));
    final ToggleButton followToggle = new ToggleButton("Follow newest", new FontIcon(Feather.RADIO));
    final Button fullSizeButton = new Button("", new FontIcon(Feather.MAXIMIZE_2));
    /** Waiting for the session's earlier actions, with a Cancel. */
    final WaitIndicator wait = new WaitIndicator("screen-wait", false);
    /** After a cancel: loads the session's earlier actions again. */
    final Button loadAgainButton = new Button("Load the actions again");
    /** Waiting for the screenshot shown, in the screenshot's place, with a Cancel; may run beside {@link #wait}. */
    final WaitIndicator screenshotWait = new WaitIndicator("screenshot-wait", false);
    /** After the screenshot's load was cancelled: loads it again. */
    final Button loadScreenshotAgainButton = new Button("Load the screenshot again");

    ScreenView(ScreenModel model) {
        root.setId("screen-view");
        root.setPadding(new Insets(8, 2, 4, 2));
        caption.setId("screen-caption");
        caption.getStyleClass().add(Styles.TEXT_BOLD);
        caption.setMinWidth(0);
        position.setId("screen-position");
        position.getStyleClass().add(Styles.TEXT_MUTED);
        position.setMinWidth(Region.USE_PREF_SIZE);
        position.textProperty().bind(Bindings.createStringBinding(() -> model.frames.isEmpty() ? ""
                : (model.index.get() + 1) + " / " + model.frames.size(), model.index, model.frames));
        status.setId("screen-status");
        status.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        status.setWrapText(true);
        status.textProperty().bind(model.status);

        firstButton.setId("screen-first");
        firstButton.setTooltip(new Tooltip("The first action of the session (Home)"));
        backButton.setId("screen-back");
        backButton.setTooltip(new Tooltip("The action before (←); stops following"));
        forwardButton.setId("screen-forward");
        forwardButton.setTooltip(new Tooltip("The action after (→)"));
        latestButton.setId("screen-latest");
        latestButton.setTooltip(new Tooltip("The newest action, following again (End)"));
        for (Button b : new Button[] {firstButton, backButton, forwardButton, latestButton}) {
            b.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.SMALL);
        }
        firstButton.getStyleClass().add(Styles.LEFT_PILL);
        backButton.getStyleClass().add(Styles.CENTER_PILL);
        forwardButton.getStyleClass().add(Styles.CENTER_PILL);
        latestButton.getStyleClass().add(Styles.RIGHT_PILL);
        firstButton.disableProperty().bind(model.hasPrevious.not());
        backButton.disableProperty().bind(model.hasPrevious.not());
        forwardButton.disableProperty().bind(model.hasNext.not());
        latestButton.disableProperty().bind(model.hasNext.not());
        followToggle.setId("screen-follow");
        followToggle.setMinWidth(Region.USE_PREF_SIZE);
        followToggle.getStyleClass().add(Styles.SMALL);
        followToggle.selectedProperty().bindBidirectional(model.follow);
        followToggle.setTooltip(new Tooltip("Show each new action as it arrives"));
        fullSizeButton.setId("screen-full-size");
        fullSizeButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        fullSizeButton.setTooltip(new Tooltip("Open this screenshot at full size"));

        HBox steps = new HBox(0, firstButton, backButton, forwardButton, latestButton);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox controls = new HBox(8, steps, position, spacer, followToggle, fullSizeButton);
        controls.setAlignment(Pos.CENTER_LEFT);

        screenshot.setId("screen-screenshot");
        loadScreenshotAgainButton.setId("screenshot-load-again");
        loadScreenshotAgainButton.getStyleClass().add(Styles.SMALL);
        loadScreenshotAgainButton.setMinWidth(Region.USE_PREF_SIZE);
        loadScreenshotAgainButton.setVisible(false);
        loadScreenshotAgainButton.managedProperty().bind(loadScreenshotAgainButton.visibleProperty());
        HBox screenshotStatus = new HBox(8, screenshotWait.view(), loadScreenshotAgainButton);
        screenshotStatus.setAlignment(Pos.CENTER_LEFT);
        screenshot.setStatusLine(screenshotStatus);
        VBox.setVgrow(screenshot, Priority.ALWAYS);
        loadAgainButton.setId("screen-load-again");
        loadAgainButton.getStyleClass().add(Styles.SMALL);
        loadAgainButton.setVisible(false);
        loadAgainButton.managedProperty().bind(loadAgainButton.visibleProperty());
        HBox footer = new HBox(8, status, loadAgainButton);
        footer.setAlignment(Pos.CENTER_LEFT);
        root.getChildren().addAll(controls, caption, screenshot, wait.view(), footer);
    }

    Node node() {
        return root;
    }
}
