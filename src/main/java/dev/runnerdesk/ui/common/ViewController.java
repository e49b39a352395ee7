package dev.runnerdesk.ui.common;

import javafx.scene.Node;

/**
 * A view of the main window with its one lifecycle, bound to being shown as Bisq 2's views are: it activates when
 * its root enters a scene (it follows the backend, loads, subscribes) and deactivates when the root leaves it (it
 * stops following and keeps what it shows for when it comes back). {@link #reload()} loads afresh (F5).
 */
public abstract class ViewController {
    private boolean active;

    /** The view's root, the node the window shows. */
    public abstract Node view();

    /** Shown: follow the backend and load. */
    protected abstract void onActivate();

    /** Hidden: stop following; what is loaded stays. */
    protected abstract void onDeactivate();

    /** Loads afresh what the view shows; nothing for a view that has nothing to load. */
    public void reload() {
    }

    /** Ties the lifecycle to {@code root} being in a scene; a subclass calls it once its view is built. */
    protected final void activateWhenShown(Node root) {
        root.sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                activate();
            } else {
                deactivate();
            }
        });
        if (root.getScene() != null) {
            activate();
        }
    }

    /** Makes the view active (once; again only after {@link #deactivate()}). Tests call it without a window. */
    public final void activate() {
        if (!active) {
            active = true;
            onActivate();
        }
    }

    public final void deactivate() {
        if (active) {
            active = false;
            onDeactivate();
        }
    }

    public final boolean isActive() {
        return active;
    }
}
