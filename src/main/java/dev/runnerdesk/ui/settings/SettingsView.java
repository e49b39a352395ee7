package dev.runnerdesk.ui.settings;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.ui.terminal.TerminalFonts;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Version;
import dev.runnerdesk.ui.common.FocusScrolling;
import dev.runnerdesk.ui.common.Theme;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Settings: appearance (theme), connections, provider keys, terminal, audit trail. */
final class SettingsView {
    final ScrollPane root;
    final ToggleGroup themeGroup = new ToggleGroup();
    final ToggleButton system = new ToggleButton("Follow system");
    final ToggleButton light = new ToggleButton("Light");
    final ToggleButton dark = new ToggleButton("Dark");
    final Button about = new Button("About RunnerDesk…");
    /** The terminals' font family and size (Ctrl +/− change one terminal's size from there). */
    final ComboBox<String> terminalFont = new ComboBox<>(TerminalFonts.families());
    final Spinner<Integer> terminalFontSize = new Spinner<>(TerminalFonts.MIN_SIZE, TerminalFonts.MAX_SIZE, TerminalFonts.DEFAULT_SIZE);
    final Spinner<Integer> scrollback = new Spinner<>(1_000, 200_000, 10_000, 1_000);
    final Spinner<Integer> execTimeout = new Spinner<>((int) ProfilePolicy.MAX_EXEC_TIMEOUT.min(),
            (int) ProfilePolicy.MAX_EXEC_TIMEOUT.max(), ExecRequest.DEFAULT_TIMEOUT_SECONDS, 5);

    SettingsView(Node connections, Node keyStorage, Node providerKeys, Node audit, boolean osDark) {
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
        about.setId("settings-about");
        Label version = new Label("RunnerDesk " + Version.current());
        version.getStyleClass().add(Styles.TEXT_MUTED);
        HBox aboutRow = new HBox(12, version, about);
        aboutRow.setAlignment(Pos.CENTER_LEFT);
        Label terminal = new Label("Terminal");
        terminal.getStyleClass().add(Styles.TITLE_4);
        scrollback.setId("terminal-scrollback");
        scrollback.setEditable(true);
        scrollback.setTooltip(new Tooltip("Lines kept above the screen; older lines are dropped, with a notice"));
        execTimeout.setId("terminal-exec-timeout");
        execTimeout.setEditable(true);
        execTimeout.setTooltip(new Tooltip("In exec mode (runners without an interactive shell), how long a command may run"));
        terminalFont.setId("terminal-font");
        terminalFont.setTooltip(new Tooltip("The terminals' font: the monospaced families of this computer"));
        terminalFont.setAccessibleText("Terminal font");
        terminalFontSize.setId("terminal-font-size");
        terminalFontSize.setEditable(true);
        terminalFontSize.setPrefWidth(90);
        terminalFontSize.setTooltip(new Tooltip("The terminals' text size in points"));
        terminalFontSize.setAccessibleText("Terminal font size");
        GridPane terminalGrid = new GridPane();
        terminalGrid.setHgap(12);
        terminalGrid.setVgap(8);
        terminalGrid.addRow(0, new Label("Scrollback (lines)"), scrollback);
        terminalGrid.addRow(1, new Label("Exec-mode command timeout (s)"), execTimeout);
        terminalGrid.addRow(2, new Label("Font"), terminalFont, terminalFontSize);
        Label applies = new Label("Scrollback applies to terminals opened from now on.");
        applies.getStyleClass().add(Styles.TEXT_MUTED);
        VBox content = new VBox(12, title, aboutRow, appearance, hint, new HBox(system, light, dark), new Separator(), connections,
                new Separator(), keyStorage, new Separator(), providerKeys, new Separator(), terminal, terminalGrid, applies, new Separator(), audit);
        content.setPadding(new Insets(16, 24, 24, 24));
        content.setMaxWidth(900);
        root = new ScrollPane(content);
        root.setId("settings");
        root.setFitToWidth(true);
        FocusScrolling.follow(root);
    }

    void select(Theme.Mode mode) {
        themeGroup.selectToggle(switch (mode) {
            case SYSTEM -> system;
            case LIGHT -> light;
            case DARK -> dark;
        });
    }
}
