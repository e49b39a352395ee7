package dev.runnerdesk.ui.settings;

import dev.runnerdesk.core.Version;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.common.ViewController;
import dev.runnerdesk.ui.connections.ConnectionsController;
import dev.runnerdesk.ui.terminal.TerminalFonts;
import dev.runnerdesk.ui.terminal.TerminalSessions;
import javafx.beans.value.ChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Alert;

/** The Settings view: theme choice (shared with the shortcut), the connections, provider keys and audit sections. */
public final class SettingsController extends ViewController {
    private final Theme theme;
    private final ConnectionsController connections;
    private final ProviderKeysController providerKeys;
    private final KeyStorageController keyStorage;
    private final AuditSettingsController audit;
    private final SettingsView view;
    private final ChangeListener<Theme.Mode> onMode;


    public SettingsController(Theme theme, ConnectionsController connections, ProviderKeysController providerKeys,
                              KeyStorageController keyStorage, AuditSettingsController audit, UiPreferences prefs,
                              TerminalSessions terminals) {
        this.theme = theme;
        this.connections = connections;
        this.providerKeys = providerKeys;
        this.keyStorage = keyStorage;
        this.audit = audit;
        this.view = new SettingsView(connections.view(), keyStorage.view(), providerKeys.view(), audit.view(), theme.osDark());
        // the sections that hold keys say what the place where keys are kept means for them
        keyStorage.stateProperty().addListener((o, was, now) -> {
            connections.keysKept(now);
            providerKeys.keysKept(now);
        });
        view.scrollback.getValueFactory().setValue(number(prefs, UiPreferences.TERMINAL_SCROLLBACK, 10_000));
        view.execTimeout.getValueFactory().setValue(number(prefs, UiPreferences.TERMINAL_EXEC_TIMEOUT, 30));
        Runnable apply = () -> {
            terminals.configure(view.scrollback.getValue(), view.execTimeout.getValue());
            prefs.put(UiPreferences.TERMINAL_SCROLLBACK, Integer.toString(view.scrollback.getValue()));
            prefs.put(UiPreferences.TERMINAL_EXEC_TIMEOUT, Integer.toString(view.execTimeout.getValue()));
        };
        terminals.configure(view.scrollback.getValue(), view.execTimeout.getValue());
        view.terminalFont.setValue(TerminalFonts.family(prefs.get(UiPreferences.TERMINAL_FONT_FAMILY).orElse(null)));
        view.terminalFontSize.getValueFactory().setValue(TerminalFonts.size(number(prefs, UiPreferences.TERMINAL_FONT_SIZE,
                TerminalFonts.DEFAULT_SIZE)));
        Runnable applyFont = () -> {
            terminals.setFont(view.terminalFont.getValue(), view.terminalFontSize.getValue());
            prefs.put(UiPreferences.TERMINAL_FONT_FAMILY, view.terminalFont.getValue());
            prefs.put(UiPreferences.TERMINAL_FONT_SIZE, Integer.toString(view.terminalFontSize.getValue()));
        };
        terminals.setFont(view.terminalFont.getValue(), view.terminalFontSize.getValue());
        view.terminalFont.valueProperty().addListener((o, was, now) -> applyFont.run());
        view.terminalFontSize.valueProperty().addListener((o, was, now) -> applyFont.run());
        view.scrollback.valueProperty().addListener((o, was, now) -> apply.run());
        view.about.setOnAction(e -> about());
        view.execTimeout.valueProperty().addListener((o, was, now) -> apply.run());
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
        activateWhenShown(view.root);
    }

    private static int number(UiPreferences prefs, String key, int fallback) {
        try {
            return prefs.get(key).map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            return fallback; // a hand-edited value: the default instead
        }
    }

    /** The About dialog: version, what this is, the license, and what it runs on. */
    private void about() {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.setTitle("About RunnerDesk");
        alert.setHeaderText("RunnerDesk " + Version.current());
        alert.setContentText("A desktop console for managed runners: sandboxed execution environments for AI agents.\n\n"
                + "Apache License 2.0\nJava " + System.getProperty("java.version") + " · JavaFX "
                + System.getProperty("javafx.runtime.version", "?"));
        alert.getDialogPane().setId("about-dialog");
        if (view.root.getScene() != null) {
            alert.initOwner(view.root.getScene().getWindow());
        }
        alert.show();
    }

    @Override
    public Node view() {
        return view.root;
    }

    @Override
    protected void onActivate() {
        view.select(theme.modeProperty().get());
        theme.modeProperty().addListener(onMode);
        connections.activate();
        keyStorage.activate();
        providerKeys.activate();
        audit.activate();
    }

    @Override
    protected void onDeactivate() {
        theme.modeProperty().removeListener(onMode);
        connections.deactivate();
        audit.deactivate();
    }

    /** Settings → Where keys are kept (for tests). */
    public KeyStorageController keyStorage() {
        return keyStorage;
    }

    /** Settings → Audit (for tests and the screenshot scenes). */
    public AuditSettingsController audit() {
        return audit;
    }
}
