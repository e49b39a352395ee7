package dev.runnerdesk.ui.common;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * AtlantaFX Primer light or dark: following the OS preference read at start (light where it cannot be read),
 * or the person's choice, which is remembered.
 */
public final class Theme {
    /** What the person chose. */
    public enum Mode { SYSTEM, LIGHT, DARK }

    private static final System.Logger LOG = System.getLogger(Theme.class.getName());
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(Mode.SYSTEM);
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final boolean osDark;

    /** {@code osDark}: the OS preference, read once off the FX thread ({@link #detectOsDark()}). */
    public Theme(boolean osDark, Mode initial) {
        this.osDark = osDark;
        mode.set(initial);
        dark.set(effective(initial));
        mode.addListener((o, was, now) -> dark.set(effective(now)));
    }

    private boolean effective(Mode m) {
        return m == Mode.DARK || (m == Mode.SYSTEM && osDark);
    }

    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public boolean osDark() {
        return osDark;
    }

    /** The shortcut: flips between light and dark, as an explicit choice. */
    public void toggle() {
        mode.set(dark.get() ? Mode.LIGHT : Mode.DARK);
    }

    /** Sets the AtlantaFX stylesheet for the current choice; call on the FX thread. */
    public void apply() {
        Application.setUserAgentStylesheet(dark.get() ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }

    public static Mode parse(String saved) {
        try {
            return saved == null ? Mode.SYSTEM : Mode.valueOf(saved.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Mode.SYSTEM;
        }
    }

    /**
     * Whether the OS asks for dark applications: GNOME/GTK settings, macOS's interface style, Windows'
     * AppsUseLightTheme. Runs small commands with a timeout; false when nothing answers.
     */
    public static boolean detectOsDark() {
        String forced = System.getProperty("runnerdesk.theme");
        if (forced != null) {
            return "dark".equalsIgnoreCase(forced);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        try {
            if (os.contains("mac")) {
                return run("defaults", "read", "-g", "AppleInterfaceStyle").map(s -> s.contains("dark")).orElse(false);
            }
            if (os.contains("win")) {
                return run("reg", "query", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                        "/v", "AppsUseLightTheme").map(s -> s.contains("0x0")).orElse(false);
            }
            Optional<String> scheme = run("gsettings", "get", "org.gnome.desktop.interface", "color-scheme");
            if (scheme.isPresent() && scheme.get().contains("dark")) {
                return true;
            }
            return run("gsettings", "get", "org.gnome.desktop.interface", "gtk-theme").map(s -> s.contains("dark")).orElse(false);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read the OS theme: " + e.getMessage());
            return false;
        }
    }

    private static Optional<String> run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                out = String.join("\n", r.lines().toList());
            }
            return p.exitValue() == 0 ? Optional.of(out.toLowerCase(Locale.ROOT)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
