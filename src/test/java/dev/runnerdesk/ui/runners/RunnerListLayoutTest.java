package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.Runner;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.common.TableLayout;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
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
import java.util.Optional;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.table;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner list at 800×600 and at 1600×1000: nothing in the header or the chips is cut, columns give way by importance. */
@ExtendWith(ApplicationExtension.class)
class RunnerListLayoutTest {
    @TempDir
    static Path dataDir;
    private UiHarness app;
    private Stage stage;
    private Runner running;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = new UiHarness(dataDir);
        for (int i = 0; i < 3; i++) {
            app.create();
        }
        running = app.create();
        app.service.startSession(running.runnerId(), Optional.empty());
        app.service.terminate(app.create().runnerId());
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void at800By600NothingImportantIsCutAndTheLeastImportantColumnsGiveWay(FxRobot robot) {
        resize(robot, 800, 600);
        Await.until(fx(() -> table(robot).getItems().size() == 5), WAIT, "the five runners listed");
        Await.until(fx(() -> cut(robot).isEmpty()), WAIT, () -> "nothing cut, but: " + cut(robot));
        assertTrue(onFx(() -> header(robot).iconsOnly()), "some actions show their icon only at 800 px");
        assertTrue(visible(robot, "id") && visible(robot, "state"), "the id and the state always stay");
        assertFalse(visible(robot, "created"), "the creation time gives way first");
        assertTrue(onFx(() -> TableLayout.isAutoHidden(column(robot, "created"))));

        // with the detail pane beside the table, still nothing is cut
        robot.interact(() -> app.window.runners().select(running.runnerId()));
        Await.until(fx(() -> cut(robot).isEmpty()), WAIT, () -> "nothing cut with the detail open, but: " + cut(robot));
        assertTrue(visible(robot, "id") && visible(robot, "state"));

        // columns hidden for room are remembered as shown: only the person's choice is saved
        Await.until(fx(() -> app.settings.get(UiPreferences.RUNNER_COLUMNS).isPresent()), WAIT, "the columns saved");
        String saved = app.settings.get(UiPreferences.RUNNER_COLUMNS).orElseThrow();
        assertFalse(saved.matches(".*created:\\d+:hidden.*"), saved);
    }

    @Test
    void at1600By1000EverythingIsLabelledAndEveryColumnShownAndAHiddenColumnStaysHidden(FxRobot robot) {
        resize(robot, 1600, 1000);
        Await.until(fx(() -> table(robot).getItems().size() == 5), WAIT, "the five runners listed");
        Await.until(fx(() -> !header(robot).iconsOnly() && cut(robot).isEmpty()), WAIT, () -> "all labelled, nothing cut: " + cut(robot));
        assertFalse(onFx(() -> node(robot, "#runner-actions-overflow", Node.class).isVisible()), "no ⋯ menu needed");
        assertFalse(onFx(() -> node(robot, "#state-chips-more", Node.class).isVisible()), "every chip in the bar");
        for (String id : List.of("id", "state", "provider", "profile", "ttl", "created", "session", "actions")) {
            assertTrue(visible(robot, id), id + " shown");
        }

        // the person hides a column (the column menu): narrower and wider again, it stays hidden
        robot.interact(() -> column(robot, "provider").setVisible(false));
        Await.until(fx(() -> app.settings.get(UiPreferences.RUNNER_COLUMNS).orElse("").matches(".*provider:\\d+:hidden.*")),
                WAIT, "the person's choice saved");
        resize(robot, 800, 600);
        Await.until(fx(() -> !visible(robot, "created")), WAIT, "created hidden for room");
        resize(robot, 1600, 1000);
        Await.until(fx(() -> visible(robot, "created")), WAIT, "created back with the room");
        assertFalse(visible(robot, "provider"), "the column the person hid stays hidden");

        // and one the person shows again while it is hidden for room stays shown
        resize(robot, 800, 600);
        Await.until(fx(() -> !visible(robot, "created")), WAIT, "created hidden for room");
        robot.interact(() -> column(robot, "created").setVisible(true));
        Await.until(fx(() -> visible(robot, "created")), WAIT, "created shown on request");
        assertTrue(visible(robot, "id") && visible(robot, "state"));
    }

    private void resize(FxRobot robot, double width, double height) {
        robot.interact(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
        Await.until(fx(() -> stage.getScene().getWidth() <= width && stage.getScene().getWidth() >= width - 40), WAIT,
                () -> "the window at " + width + " px");
    }

    private static RunnerListToolbar header(FxRobot robot) {
        return node(robot, "#runner-list-header", RunnerListToolbar.class);
    }

    @SuppressWarnings("unchecked")
    private static TableColumn<RunnerRow, ?> column(FxRobot robot, String id) {
        TableView<RunnerRow> table = table(robot);
        return table.getColumns().stream().filter(c -> id.equals(c.getId())).findFirst().orElseThrow();
    }

    private static boolean visible(FxRobot robot, String column) {
        return onFx(() -> column(robot, column).isVisible());
    }

    /** Every label or button of the header and the chips that is shown cut ("Ru…") or beyond the window's edge. */
    private static List<String> cut(FxRobot robot) {
        return onFx(() -> {
            List<String> cut = new ArrayList<>();
            double sceneWidth = node(robot, "#runner-list", Node.class).getScene().getWidth();
            for (String part : List.of("#runner-list-header", "#state-chips")) {
                collect(node(robot, part, Parent.class), sceneWidth, cut);
            }
            return cut;
        });
    }

    private static void collect(Parent parent, double sceneWidth, List<String> cut) {
        for (Node n : parent.getChildrenUnmodifiable()) {
            if (!n.isVisible() || !n.isManaged()) {
                continue;
            }
            if (n instanceof Labeled l && l.getContentDisplay() != ContentDisplay.GRAPHIC_ONLY && l.getText() != null
                    && !l.getText().isEmpty()) {
                String want = l.isMnemonicParsing() ? l.getText().replace("_", "") : l.getText();
                String shown = l.getChildrenUnmodifiable().stream().filter(t -> t instanceof Text && t.getStyleClass().contains("text")).map(t -> ((Text) t).getText())
                        .findFirst().orElse(want);
                if (!shown.equals(want)) {
                    cut.add("“" + want + "” shown as “" + shown + "”");
                }
            }
            if (n.localToScene(n.getLayoutBounds()).getMaxX() > sceneWidth + 1) {
                cut.add((n.getId() == null ? n.getClass().getSimpleName() : n.getId()) + " beyond the window's edge");
            }
            if (n instanceof Parent p && !(n instanceof Labeled)) {
                collect(p, sceneWidth, cut);
            }
        }
    }
}
