package dev.runnerdesk.ui.common;

import javafx.beans.value.ChangeListener;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;

/**
 * Keeps the focused control of a scroll pane in sight: JavaFX moves the focus into a control below the fold without
 * scrolling to it, which leaves a keyboard user typing into something they cannot see.
 */
public final class FocusScrolling {
    private FocusScrolling() {
    }

    public static void follow(ScrollPane pane) {
        ChangeListener<Node> onFocus = (o, was, now) -> {
            if (now != null && isInside(now, pane.getContent())) {
                reveal(pane, now);
            }
        };
        pane.sceneProperty().addListener((o, was, now) -> {
            if (was != null) {
                was.focusOwnerProperty().removeListener(onFocus);
            }
            if (now != null) {
                now.focusOwnerProperty().addListener(onFocus);
            }
        });
        Scene scene = pane.getScene();
        if (scene != null) {
            scene.focusOwnerProperty().addListener(onFocus);
        }
    }

    private static boolean isInside(Node node, Node content) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n == content) {
                return true;
            }
        }
        return false;
    }

    /** Scrolls the least that shows {@code node} whole (its top, where it is taller than the viewport). */
    static void reveal(ScrollPane pane, Node node) {
        Node content = pane.getContent();
        Bounds inContent = content.sceneToLocal(node.localToScene(node.getBoundsInLocal()));
        double contentHeight = content.getBoundsInLocal().getHeight();
        double viewport = pane.getViewportBounds().getHeight();
        if (contentHeight <= viewport || inContent == null) {
            return;
        }
        double top = pane.getVvalue() * (contentHeight - viewport);
        double margin = 12;
        double newTop = top;
        if (inContent.getMinY() - margin < top) {
            newTop = Math.max(0, inContent.getMinY() - margin);
        } else if (inContent.getMaxY() + margin > top + viewport) {
            newTop = Math.min(inContent.getMinY() - margin, inContent.getMaxY() + margin - viewport);
        }
        if (newTop != top) {
            pane.setVvalue(newTop / (contentHeight - viewport));
        }
    }
}
