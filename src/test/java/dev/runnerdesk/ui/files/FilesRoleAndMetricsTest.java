package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.metrics.MetricsAccess;
import dev.runnerdesk.ui.metrics.MetricsController;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A viewer's Files tab: the write actions disabled with the reason, and downloads disabled with the reason where the
 * profile does not let viewers download; and the Metrics tab with the fake provider's synthetic samples, said to be so.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class FilesRoleAndMetricsTest {
    @TempDir
    Path dir;
    private UiHarness app;
    private Runner runner;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dir);
        runner = app.create();
        FilesTabTest.awaitWorkspace(app, runner.runnerId());
        app.service.writeFile(runner.runnerId(), "report.txt", FilesTabTest.bytes("results"));
        Policies now = app.service.policies();
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(now.profiles());
        ProfilePolicy locked = profiles.get(ToolProfile.LOCKED);
        profiles.put(ToolProfile.LOCKED, locked.withFiles(new FileAccess(false, locked.files().maxUploadMib())));
        app.service.updatePolicies(new Policies(profiles, now.pii()));
        // the window as a viewer
        app.show(stage, (profile, key) -> app.runtime.serviceFor(new Principal("vera", Role.VIEWER)), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aViewerSeesWriteActionsAndDownloadsDisabledWithTheReason(FxRobot robot) {
        FilesController files = FilesTabTest.openFiles(robot, runner.runnerId());
        Await.until(fx(() -> FilesTabTest.names(files).contains("report.txt")), WAIT, "a viewer lists the files");
        Await.until(fx(() -> !files.model.downloadWhy.get().isEmpty()), WAIT, "the download policy read");
        robot.interact(() -> files.view.table.getSelectionModel().clearAndSelect(0));
        for (String id : new String[] {"#files-upload", "#files-new-folder", "#files-rename", "#files-delete"}) {
            Button b = node(robot, id, Button.class);
            assertTrue(onFx(b::isDisabled), id + " disabled");
            assertEquals("Your role is viewer; changing workspace files needs operator or admin", onFx(() -> RoleGate.reasonShown(b)), id);
        }
        Button download = node(robot, "#files-download", Button.class);
        assertTrue(onFx(download::isDisabled), "download disabled");
        String why = onFx(() -> RoleGate.reasonShown(download));
        assertTrue(why.startsWith("Your role is viewer; the locked profile lets only operator or admin download"), why);
        Await.until(fx(() -> files.view.preview.message.getText().startsWith("No preview: your role is viewer")), WAIT,
                "no preview either, with the reason");
        assertTrue(onFx(() -> !files.drop(java.util.List.of(dir.toFile()))), "a drop is refused");
    }

    @Test
    void theMetricsTabShowsSyntheticSamplesAndSaysSo(FxRobot robot) {
        FilesTabTest.openFiles(robot, runner.runnerId());
        TabPane tabs = node(robot, "#detail-tabs", TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(FilesTabTest.tab(tabs, "detail-tab-metrics")));
        Node root = node(robot, "#metrics-tab", Node.class);
        MetricsController metrics = onFx(() -> MetricsController.of(root).orElseThrow());
        Await.until(fx(() -> onFx(() -> node(robot, "#metrics-source", Label.class).getText()).contains("synthetic")), WAIT,
                "the source said");
        assertEquals("source: synthetic (made-up numbers)", UiHarness.text(robot, "#metrics-source"));
        String cpu = UiHarness.text(robot, "#metrics-cpu-title");
        assertTrue(cpu.matches("CPU  \\d+\\.\\d %"), cpu);
        String memory = UiHarness.text(robot, "#metrics-memory-title");
        assertTrue(memory.matches("Memory  [\\d.]+ MiB of [\\d.]+ [MG]iB"), memory);
        assertTrue(onFx(() -> MetricsAccess.polling(metrics)), "polled while shown");
        // hidden: no more questions
        robot.interact(() -> tabs.getSelectionModel().select(FilesTabTest.tab(tabs, "detail-tab-overview")));
        assertTrue(onFx(() -> !MetricsAccess.polling(metrics)), "not polled while hidden");
    }
}
