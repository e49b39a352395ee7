package dev.runnerdesk.ui.common;

import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Labeled;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No text of the app loses an underscore to mnemonic parsing ("command.timed_out" shown as "command.timedout",
 * "runner_…" as "runner…"): every labeled control and menu item of every view that parses mnemonics has its
 * underscores only where a mnemonic is meant (at the start of a word: "_Save", "Allow _insecure").
 */
@ExtendWith(ApplicationExtension.class)
class MnemonicTextTest {
    /**
     * An underscore inside a lower-case word: data (an id, an event type, a wire name), never a mnemonic (those are
     * "_Save", "Allow _insecure", "Remo_ve").
     */
    private static final Pattern INSIDE_A_WORD = Pattern.compile("(?<![\\p{Alnum}_.])[a-z0-9.]+_");
    @TempDir
    static Path dataDir;
    private UiHarness app;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dataDir);
        app.create();
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void noTextOfAnyViewLosesAnUnderscore(FxRobot robot) {
        List<String> swallowed = new ArrayList<>();
        for (MainWindow.View view : MainWindow.View.values()) {
            app.open(robot, view, "#content");
            robot.interact(() -> { }); // a pulse: the view's nodes are laid out
            swallowed.addAll(onFx(() -> {
                List<String> found = new ArrayList<>();
                walk(app.window.root(), found);
                return found;
            }));
        }
        assertTrue(swallowed.isEmpty(), "texts whose underscores would be taken for mnemonics: " + swallowed);
    }

    private static void walk(Node node, List<String> found) {
        if (node instanceof Labeled l && l.isMnemonicParsing() && l.getText() != null && INSIDE_A_WORD.matcher(l.getText()).find()) {
            found.add(l.getClass().getSimpleName() + " " + l.getId() + ": " + l.getText());
        }
        if (node instanceof MenuButton b) {
            b.getItems().forEach(i -> walk(i, found));
        }
        if (node instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> walk(c, found));
        }
    }

    private static void walk(MenuItem item, List<String> found) {
        if (item.isMnemonicParsing() && item.getText() != null && INSIDE_A_WORD.matcher(item.getText()).find()) {
            found.add("MenuItem " + item.getId() + ": " + item.getText());
        }
        if (item instanceof CustomMenuItem c && c.getContent() != null) {
            walk(c.getContent(), found);
        }
        if (item instanceof Menu m) {
            m.getItems().forEach(i -> walk(i, found));
        }
    }
}
