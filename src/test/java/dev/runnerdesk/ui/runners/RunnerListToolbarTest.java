package dev.runnerdesk.ui.runners;

import dev.runnerdesk.ui.OnFxThread;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.layout.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header's fitting: labelled, then icons least important first, then a "⋯" menu; the most important one stays. */
@ExtendWith(OnFxThread.class)
class RunnerListToolbarTest {
    private final Button stop = button("stop", "_Stop sessions", Feather.STOP_CIRCLE);
    private final Button terminate = button("terminate", "_Terminate", Feather.TRASH_2);
    private final Button create = button("create", "_New runner", Feather.PLUS);
    private final SimpleStringProperty reason = new SimpleStringProperty("");
    private final Label title = new Label("Runners");
    private RunnerListToolbar bar;

    private RunnerListToolbar layOut(double width) {
        TextField filter = new TextField();
        filter.setPrefWidth(240);
        filter.setMinWidth(130);
        Region spacer = new Region();
        bar = new RunnerListToolbar(List.of(title), List.of(spacer), filter);
        SimpleBooleanProperty shown = new SimpleBooleanProperty(true);
        bar.add(stop, stop, 0, shown, reason);
        bar.add(terminate, terminate, 1, shown, reason);
        bar.add(create, create, 3, shown, Bindings.createStringBinding(() -> ""));
        new Scene(bar, width, 60);
        resize(width);
        return bar;
    }

    private void resize(double width) {
        bar.resize(width, 60);
        for (int i = 0; i < 3; i++) { // a change of display lays out again
            bar.applyCss();
            bar.layout();
        }
    }

    @Test
    void wideEveryActionIsLabelled() {
        layOut(1200);
        for (Button b : List.of(stop, terminate, create)) {
            assertEquals(ContentDisplay.LEFT, b.getContentDisplay(), b.getId());
            assertTrue(b.isVisible());
        }
        assertFalse(bar.overflow.isVisible());
    }

    @Test
    void narrowerTheLeastImportantTurnIntoIconsFirst() {
        layOut(1200);
        double labelled = stop.prefWidth(-1);
        // a few pixels short of every label fitting (measured, so other fonts give the same case)
        double allLabelled = bar.snappedLeftInset() + bar.snappedRightInset() + title.prefWidth(-1) + 130
                + stop.prefWidth(-1) + terminate.prefWidth(-1) + create.prefWidth(-1) + 6 * bar.getSpacing();
        resize(allLabelled - 5);
        assertEquals(ContentDisplay.GRAPHIC_ONLY, stop.getContentDisplay(), "Stop gives way first");
        assertEquals(ContentDisplay.LEFT, create.getContentDisplay(), "New runner keeps its label");
        assertTrue(stop.prefWidth(-1) < labelled);
        assertEquals("Stop sessions", stop.getAccessibleText(), "an icon button keeps its name for screen readers");
        assertFalse(bar.overflow.isVisible());
    }

    @Test
    void narrowestTheRestGoesIntoTheMenuWhichSaysWhyAnItemIsDisabled() {
        layOut(150);
        double icon = create.prefWidth(-1); // at 150 px everything is an icon
        // room for the title, the filter at its narrowest, New runner's icon and the ⋯ menu, not for three icons
        double width = bar.snappedLeftInset() + bar.snappedRightInset() + title.prefWidth(-1) + 130 + icon
                + bar.overflow.prefWidth(-1) + 4 * bar.getSpacing() + 2;
        resize(width);
        assertTrue(bar.overflow.isVisible());
        assertFalse(stop.isVisible(), "Stop is in the menu");
        assertTrue(create.isVisible(), "the most important action stays out of the menu");
        MenuItem inMenu = bar.overflow.getItems().stream().filter(i -> "stop-menu".equals(i.getId())).findFirst().orElseThrow();
        assertTrue(inMenu.isVisible());
        stop.setDisable(true);
        reason.set("your role is viewer; stopping sessions needs operator or admin");
        assertTrue(inMenu.isDisable());
        assertEquals("Stop sessions — your role is viewer; stopping sessions needs operator or admin", inMenu.getText());
        double right = bar.getChildrenUnmodifiable().stream().filter(n -> n.isVisible() && n.isManaged())
                .mapToDouble(n -> n.getBoundsInParent().getMaxX()).max().orElse(0);
        assertTrue(right <= width, "everything inside the bar: " + right + " of " + width);
        resize(1200);
        assertFalse(bar.overflow.isVisible(), "wide again, no menu");
        assertTrue(stop.isVisible());
    }

    private static Button button(String id, String text, Feather icon) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setMnemonicParsing(true);
        return b;
    }
}
