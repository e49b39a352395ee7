package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.ui.OnFxThread;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ToggleButton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state chips: never cut; when narrow, the least common states move into a "+N" menu that filters alike. */
@ExtendWith(OnFxThread.class)
class RunnerListChipsTest {
    private final RunnerListModel model = new RunnerListModel(Clock.systemUTC());
    private final RunnerListChips chips = new RunnerListChips(model);

    private void layOut(double width) {
        if (chips.getScene() == null) {
            new Scene(chips, width, 40);
        }
        chips.resize(width, 40);
        for (int i = 0; i < 3; i++) {
            chips.applyCss();
            chips.layout();
        }
    }

    @Test
    void wideEveryChipIsInTheBar() {
        layOut(1400);
        chips.chips.values().forEach(c -> assertTrue(c.isVisible(), c.getId()));
        assertFalse(chips.more.isVisible());
        assertTrue(chips.all.isSelected(), "All is chosen while no state is");
        assertTrue(chips.all.getStyleClass().contains("state-chip"), "All looks like the other chips");
    }

    @Test
    void narrowTheRarestStatesMoveIntoTheMenuWhichFiltersAlikeAndNoChipIsCut() {
        layOut(380);
        assertTrue(chips.more.isVisible());
        assertFalse(chips.chips.get(RunnerState.EXPIRED).isVisible(), "expired leaves first");
        assertTrue(chips.chips.get(RunnerState.RUNNING).isVisible(), "running stays");
        for (ToggleButton chip : chips.chips.values()) {
            if (chip.isVisible()) {
                assertEquals(chip.prefWidth(-1), chip.getWidth(), 0.5, chip.getId() + " at its full width");
                assertTrue(chip.getBoundsInParent().getMaxX() <= 380, chip.getId() + " inside the bar");
            }
        }
        CheckMenuItem expired = (CheckMenuItem) chips.more.getItems().stream()
                .filter(i -> "state-menu-expired".equals(i.getId())).findFirst().orElseThrow();
        assertTrue(expired.isVisible());
        expired.setSelected(true);
        assertEquals(Set.of(RunnerState.EXPIRED), Set.copyOf(model.stateFilter));
        assertFalse(chips.all.isSelected());
        assertTrue(chips.more.getText().endsWith("•"), "the menu shows that a state in it is chosen: " + chips.more.getText());
        chips.all.fire();
        assertTrue(model.stateFilter.isEmpty());
        assertFalse(expired.isSelected());
        assertTrue(chips.all.isSelected());
    }
}
