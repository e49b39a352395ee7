package dev.runnerdesk.ui.settings;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.ui.common.Theme;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Settings: appearance (theme) and connections. */
final class SettingsView {
    final ScrollPane root;
    final ToggleGroup themeGroup = new ToggleGroup();
    final ToggleButton system = new ToggleButton("Follow system");
    final ToggleButton light = new ToggleButton("Light");
    final ToggleButton dark = new ToggleButton("Dark");

    SettingsView(Node connections, boolean osDark) {
        Label title = new Label("Settings");
        title.getStyleClass().add(Styles.TITLE_3);
        Label appearance = new Label("Appearance");
        appearance.getStyleClass().add(Styles.TITLE_4);
        system.setId("theme-system");
        light.setId("theme-light");
        dark.setId("theme-dark");
        system.setTooltip(new Tooltip("The OS asked for " + (osDark ? "dark" : "light") + " when RunnerDesk started"));
        light.setTooltip(new Tooltip("Ctrl+Shift+D switches between light and dark"));
        dark.setTooltip(new Tooltip("Ctrl+Shift+D switches between light and dark"));
        system.getStyleClass().add(Styles.LEFT_PILL);
        light.getStyleClass().add(Styles.CENTER_PILL);
        dark.getStyleClass().add(Styles.RIGHT_PILL);
        for (ToggleButton b : new ToggleButton[] {system, light, dark}) {
            b.setToggleGroup(themeGroup);
        }
        Label hint = new Label("Theme — Ctrl+Shift+D toggles light and dark");
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        VBox content = new VBox(12, title, appearance, hint, new HBox(system, light, dark), new Separator(), connections);
        content.setPadding(new Insets(16, 24, 24, 24));
        content.setMaxWidth(900);
        root = new ScrollPane(content);
        root.setId("settings");
        root.setFitToWidth(true);
    }

    void select(Theme.Mode mode) {
        themeGroup.selectToggle(switch (mode) {
            case SYSTEM -> system;
            case LIGHT -> light;
            case DARK -> dark;
        });
    }
}
