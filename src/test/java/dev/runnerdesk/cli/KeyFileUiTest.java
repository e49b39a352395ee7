package dev.runnerdesk.cli;

import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.PasswordField;
import javafx.scene.input.KeyCode;
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
import java.util.Map;
import java.util.Optional;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Settings → Where keys are kept, with the composition root's store: a key saved after opting in is there after a restart. */
@ExtendWith(ApplicationExtension.class)
class KeyFileUiTest {
    @TempDir
    static Path dir;
    private UiHarness app;
    private Keychain keychain;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = new UiHarness(dir);
        keychain = new Keychain(dir.resolve("data"), Map.of()).probeNow();
        app.show(stage, app.embeddedOnly(), Clock.systemUTC(), keychain.secrets, keychain);
    }

    @AfterEach
    void stop() {
        app.close();
        keychain.close();
    }

    @Test
    void aKeySavedAfterOptingInIsThereAfterARestart(FxRobot robot) {
        app.open(robot, MainWindow.View.SETTINGS, "#key-storage");
        CheckBox useFile = node(robot, "#key-storage-file", CheckBox.class);
        Await.until(fx(() -> !useFile.isDisabled()), WAIT, "the choice offered once the storage is known");
        // keyboard only: the focus brings the box into sight, Space ticks it
        robot.interact(useFile::requestFocus);
        robot.type(KeyCode.SPACE);
        Await.until(fx(() -> ((Labeled) node(robot, "#key-storage-where", Labeled.class)).getText()
                .contains("a plain-text file only you can read")), WAIT, "the key file in use");
        // typed, and saved with Enter
        PasswordField field = node(robot, "#provider-key-field-e2b", PasswordField.class);
        robot.interact(field::requestFocus);
        robot.write("e2b_test_0123456789").type(KeyCode.ENTER);
        Await.until(fx(() -> ((Labeled) node(robot, "#provider-key-state-e2b", Labeled.class)).getText().startsWith("saved")),
                WAIT, "the key saved");

        // a restart: a new store over the same data directory, a new window
        robot.interact(() -> app.window.close());
        keychain.close();
        keychain = new Keychain(dir.resolve("data"), Map.of()).probeNow();
        assertEquals(KeyStorage.Where.FILE, keychain.state().where());
        assertEquals(Optional.of("e2b_test_0123456789"), keychain.secrets.get(ProviderKeys.E2B.secretName()));
        robot.interact(() -> app.show(stage, app.embeddedOnly(), Clock.systemUTC(), keychain.secrets, keychain));
        app.open(robot, MainWindow.View.SETTINGS, "#key-storage");
        Await.until(fx(() -> ((Labeled) node(robot, "#provider-key-state-e2b", Labeled.class)).getText()
                .equals("saved ••••••••6789")), WAIT, "the saved key shown after the restart");
        assertEquals(Boolean.TRUE, onFx(() -> node(robot, "#key-storage-file", CheckBox.class).isSelected()));
    }
}
