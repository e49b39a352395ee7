package dev.runnerdesk.ui.common;

import dev.runnerdesk.ui.OnFxThread;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A view is active exactly while its root is shown (in a scene), as the main window's content swaps views. */
@ExtendWith(OnFxThread.class)
class ViewControllerTest {
    private static final class Probe extends ViewController {
        final StackPane root = new StackPane();
        final List<String> calls = new ArrayList<>();

        Probe() {
            activateWhenShown(root);
        }

        @Override
        public Node view() {
            return root;
        }

        @Override
        protected void onActivate() {
            calls.add("activate");
        }

        @Override
        protected void onDeactivate() {
            calls.add("deactivate");
        }
    }

    @Test
    void aViewActivatesWhenShownAndDeactivatesWhenTakenOut() {
        StackPane content = new StackPane();
        new Scene(content);
        Probe runners = new Probe();
        Probe timeline = new Probe();
        content.getChildren().setAll(runners.view());
        assertTrue(runners.isActive());
        content.getChildren().setAll(timeline.view());
        assertFalse(runners.isActive());
        assertTrue(timeline.isActive());
        assertEquals(List.of("activate", "deactivate"), runners.calls);
        content.getChildren().clear();
        assertEquals(List.of("activate", "deactivate"), timeline.calls);
    }

    @Test
    void activatingTwiceRunsTheActivationOnce() {
        Probe view = new Probe();
        view.activate();
        view.activate();
        view.deactivate();
        view.deactivate();
        assertEquals(List.of("activate", "deactivate"), view.calls);
    }
}
