package dev.runnerdesk.ui.common;

import atlantafx.base.theme.Styles;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;

/**
 * What a wait on the backend looks like everywhere: what it waits for and how long so far ("Waiting for
 * gateway.example.com to list runners… 12 s"), and a Cancel that stops it; after a cancel, what was left undone
 * ("Cancelled — the runner list was not refreshed") until the next wait. In a view it appears after a second, so a
 * quick load does not flash it; in a dialog, where the person just pressed a button, at once. Used on the FX thread.
 */
public final class WaitIndicator {
    private final HBox root = new HBox(8);
    private final ProgressIndicator spinner = new ProgressIndicator();
    private final Label text = new Label();
    private final Button cancel = new Button("Cancel");
    private final BooleanProperty waiting = new SimpleBooleanProperty();
    private final Timeline ticker;
    private final boolean atOnce;
    private String waitingFor = "";
    private long seconds;
    private Runnable onCancel = () -> { };

    /** {@code id} names the node ({@code id-text} and {@code id-cancel} its parts); {@code atOnce} for a dialog's wait. */
    public WaitIndicator(String id, boolean atOnce) {
        this.atOnce = atOnce;
        root.setId(id);
        text.setId(id + "-text");
        cancel.setId(id + "-cancel");
        cancel.getStyleClass().add(Styles.SMALL);
        cancel.setCancelButton(false);
        cancel.setOnAction(e -> cancel());
        cancel.setMinWidth(Button.USE_PREF_SIZE);
        spinner.setPrefSize(16, 16);
        spinner.setMaxSize(16, 16);
        spinner.visibleProperty().bind(waiting);
        spinner.managedProperty().bind(waiting);
        cancel.visibleProperty().bind(waiting);
        cancel.managedProperty().bind(waiting);
        text.getStyleClass().add(Styles.TEXT_MUTED);
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE); // wraps in a narrow window instead of being cut
        HBox.setHgrow(text, Priority.SOMETIMES);
        root.setAlignment(Pos.CENTER_LEFT);
        root.getChildren().addAll(spinner, text, cancel);
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        show(false);
    }

    public Node view() {
        return root;
    }

    /** True from {@link #start} until the wait ends or is cancelled. */
    public ReadOnlyBooleanProperty waitingProperty() {
        return waiting;
    }

    /**
     * A wait begins: {@code waitingFor} says on what ("Waiting for gateway.example.com to list runners"); Cancel runs
     * {@code onCancel}, which stops the work, then says {@link #say}.
     */
    public void start(String waitingFor, Runnable onCancel) {
        this.waitingFor = waitingFor;
        this.onCancel = onCancel;
        seconds = 0;
        waiting.set(true);
        text.setText(waitingFor + "…");
        ticker.playFromStart();
        show(atOnce);
    }

    /** The wait ended with an answer (or an error the view says itself): nothing is shown. */
    public void done() {
        ticker.stop();
        waiting.set(false);
        show(false);
    }

    /** The wait was cancelled, or failed: {@code whatWasLeft} undone stays in view until the next wait. */
    public void say(String whatWasLeft) {
        ticker.stop();
        waiting.set(false);
        text.setText(whatWasLeft);
        show(true);
    }

    /** Cancel, as its button does (Escape in a dialog). False when nothing waits. */
    public boolean cancel() {
        if (!waiting.get()) {
            return false;
        }
        onCancel.run();
        return true;
    }

    /** The line shown now, for tests and a screen reader. */
    public String text() {
        return root.isVisible() ? text.getText() : "";
    }

    private void tick() {
        seconds++;
        text.setText(waitingFor + "… " + seconds + " s");
        show(true);
    }

    private void show(boolean shown) {
        root.setVisible(shown);
        root.setManaged(shown);
    }
}
