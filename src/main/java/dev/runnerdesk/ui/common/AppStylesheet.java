package dev.runnerdesk.ui.common;

import javafx.scene.Parent;

import java.util.Objects;

/** The app's own stylesheet (AtlantaFX variables for ControlsFX, badges, banners), for the window and its dialogs. */
public final class AppStylesheet {
    private static final String URL = Objects.requireNonNull(AppStylesheet.class.getResource("/dev/runnerdesk/ui/app.css"))
            .toExternalForm();

    private AppStylesheet() {
    }

    public static String url() {
        return URL;
    }

    /** Dialogs have scenes of their own, which do not inherit the main scene's stylesheets. */
    public static void applyTo(Parent root) {
        if (!root.getStylesheets().contains(URL)) {
            root.getStylesheets().add(URL);
        }
    }
}
