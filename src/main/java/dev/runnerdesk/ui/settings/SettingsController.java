package dev.runnerdesk.ui.settings;

import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.connections.ConnectionsController;
import javafx.beans.value.ChangeListener;
import javafx.scene.Node;

/** The Settings view: theme choice (shared with the shortcut) and the connections section. */
public final class SettingsController {
    private final Theme theme;
    private final ConnectionsController connections;
    private final SettingsView view;
    private final ChangeListener<Theme.Mode> onMode;

    public SettingsController(Theme theme, ConnectionsController connections) {
        this.theme = theme;
        this.connections = connections;
        this.view = new SettingsView(connections.view(), theme.osDark());
        onMode = (o, was, now) -> view.select(now);
        view.themeGroup.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                view.themeGroup.selectToggle(was); // one is always chosen
            } else if (now == view.system) {
                theme.modeProperty().set(Theme.Mode.SYSTEM);
            } else if (now == view.light) {
                theme.modeProperty().set(Theme.Mode.LIGHT);
            } else {
                theme.modeProperty().set(Theme.Mode.DARK);
            }
        });
    }

    public Node view() {
        return view.root;
    }

    public void activate() {
        view.select(theme.modeProperty().get());
        theme.modeProperty().addListener(onMode);
        connections.activate();
    }

    public void deactivate() {
        theme.modeProperty().removeListener(onMode);
        connections.deactivate();
    }
}
