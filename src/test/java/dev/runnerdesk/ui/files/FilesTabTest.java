package dev.runnerdesk.ui.files;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.click;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Files tab on the real embedded runtime with the fake provider's in-memory workspace: listing (folders first),
 * navigation by key and breadcrumb, upload (the drop handler's entry point), download with matching bytes, a cancelled
 * download that leaves nothing behind, and new folder, rename and delete (through its confirmation).
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class FilesTabTest {
    @TempDir
    Path dir;
    private UiHarness app;
    private Runner runner;

    @Start
    void start(Stage stage) {
        app = new UiHarness(dir);
        runner = app.create();
        awaitWorkspace(app, runner.runnerId());
        String id = runner.runnerId();
        app.service.makeFolder(id, "src/deep");
        app.service.writeFile(id, "b.txt", bytes("hello from b\n"));
        app.service.writeFile(id, "a.txt", bytes("first line\nsecond line\n"));
        app.service.writeFile(id, "src/main.py", bytes("print('hi')\n"));
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** Until the runner's workspace answers a listing. */
    static void awaitWorkspace(UiHarness app, String runnerId) {
        Await.until(() -> {
            try {
                app.service.listFiles(runnerId, "");
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }, WAIT, "the runner's workspace ready");
    }

    static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Selects the runner and the Files tab; the tab's controller once its root is listed. */
    static FilesController openFiles(FxRobot robot, String runnerId) {
        Await.until(fx(() -> UiHarness.table(robot).getItems().stream().anyMatch(r -> r.id().equals(runnerId))), WAIT,
                "the runner listed");
        robot.interact(() -> {
            var table = UiHarness.table(robot);
            for (int i = 0; i < table.getItems().size(); i++) {
                if (table.getItems().get(i).id().equals(runnerId)) {
                    table.getSelectionModel().clearAndSelect(i);
                }
            }
        });
        TabPane tabs = node(robot, "#detail-tabs", TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(tabs.getTabs().stream()
                .filter(t -> "detail-tab-files".equals(t.getId())).findFirst().orElseThrow()));
        var root = node(robot, "#files-tab", javafx.scene.Node.class);
        return onFx(() -> FilesController.of(root).orElseThrow());
    }

    static List<String> names(FilesController files) {
        return onFx(() -> files.view.sorted.stream().map(FileEntry::name).toList());
    }

    @Test
    void listsFoldersFirstAndNavigatesByKeyAndCrumb(FxRobot robot) {
        FilesController files = openFiles(robot, runner.runnerId());
        Await.until(fx(() -> names(files).equals(List.of("src", "a.txt", "b.txt"))), WAIT, () -> "root listed: " + names(files));
        assertEquals("1 folder, 2 files", onFx(() -> files.model.status.get()));
        // sorting by name descending keeps the folder first
        robot.interact(() -> {
            var name = files.view.table.getColumns().get(0);
            name.setSortType(javafx.scene.control.TableColumn.SortType.DESCENDING);
            files.view.table.getSortOrder().setAll(List.of(name));
        });
        assertEquals(List.of("src", "b.txt", "a.txt"), names(files));

        // Enter on the folder opens it
        robot.interact(() -> {
            files.view.table.requestFocus();
            files.view.table.getSelectionModel().clearAndSelect(0);
        });
        robot.type(KeyCode.ENTER);
        Await.until(fx(() -> files.model.folder.get().equals("src")), WAIT, "src opened");
        Await.until(fx(() -> names(files).equals(List.of("deep", "main.py"))), WAIT, () -> "src listed: " + names(files));
        assertEquals("src", UiHarness.text(robot, "#files-crumb-current"));
        // Backspace goes up
        robot.interact(() -> files.view.table.requestFocus());
        robot.type(KeyCode.BACK_SPACE);
        Await.until(fx(() -> files.model.folder.get().isEmpty()), WAIT, "back at the root");
        // a crumb goes back too
        robot.interact(() -> files.open("src/deep"));
        Await.until(fx(() -> files.model.folder.get().equals("src/deep")), WAIT, "deep opened");
        click(robot, "#files-crumb-1");
        Await.until(fx(() -> files.model.folder.get().equals("src")), WAIT, "the crumb src opened");
        // a folder that is not there: the person stays where they were, and is told why
        robot.interact(() -> files.open("nowhere"));
        Await.until(fx(() -> files.model.status.get().startsWith("Cannot list nowhere")), WAIT, "the failure said");
        assertEquals("src", onFx(() -> files.model.folder.get()));
    }

    @Test
    void previewsTheStartOfATextFile(FxRobot robot) {
        FilesController files = openFiles(robot, runner.runnerId());
        Await.until(fx(() -> names(files).size() == 3), WAIT, "root listed");
        robot.interact(() -> files.view.table.getSelectionModel().clearAndSelect(1)); // a.txt
        Await.until(fx(() -> files.view.preview.text.isVisible()
                && files.view.preview.text.getText().equals("first line\nsecond line\n")), WAIT, "the text previewed");
        robot.interact(() -> files.view.table.getSelectionModel().clearAndSelect(0)); // src
        Await.until(fx(() -> files.view.preview.message.getText().startsWith("A folder")), WAIT, "a folder says how to open it");
    }

    @Test
    void uploadsByTheDropHandlerAndDownloadsTheSameBytes(FxRobot robot) throws IOException {
        FilesController files = openFiles(robot, runner.runnerId());
        Await.until(fx(() -> names(files).size() == 3), WAIT, "root listed");
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        Path local = Files.write(dir.resolve("upload.bin"), content);
        Path folder = Files.createDirectories(dir.resolve("tree/inner"));
        Files.writeString(folder.resolve("note.txt"), "inside");

        assertTrue(onFx(() -> files.drop(List.of(local.toFile(), dir.resolve("tree").toFile()))), "the drop is taken");
        Await.until(fx(() -> names(files).containsAll(List.of("upload.bin", "tree"))), WAIT, () -> "uploaded: " + names(files));
        Await.until(fx(() -> files.model.transfers.stream().allMatch(Transfer::isFinished)), WAIT, "the uploads finished");
        ByteArrayOutputStream there = new ByteArrayOutputStream();
        app.service.readFile(runner.runnerId(), "upload.bin", 0, -1, there);
        assertArrayEquals(content, there.toByteArray(), "the uploaded bytes");
        there.reset();
        app.service.readFile(runner.runnerId(), "tree/inner/note.txt", 0, -1, there);
        assertEquals("inside", there.toString(StandardCharsets.UTF_8), "a dropped folder's file");

        Path into = Files.createDirectories(dir.resolve("downloads"));
        robot.interact(() -> files.actions.download(files.view.sorted.stream()
                .filter(e -> e.name().equals("upload.bin") || e.name().equals("src")).toList(), into));
        Await.until(fx(() -> files.model.transfers.size() == 4 && files.model.transfers.stream().allMatch(Transfer::isFinished)),
                WAIT, "the downloads finished");
        assertArrayEquals(content, Files.readAllBytes(into.resolve("upload.bin")), "the downloaded bytes");
        assertEquals("print('hi')\n", Files.readString(into.resolve("src/main.py")), "a downloaded folder's file");
        assertTrue(Files.isDirectory(into.resolve("src/deep")), "its empty folder too");
        // a second download of the same file does not overwrite the first
        robot.interact(() -> files.actions.download(files.view.sorted.stream().filter(e -> e.name().equals("upload.bin")).toList(), into));
        Await.until(() -> Files.exists(into.resolve("upload (2).bin")), WAIT, "saved beside it");
    }

    @Test
    void aCancelledDownloadLeavesNoPartialFile(FxRobot robot) throws IOException {
        byte[] big = new byte[2 * 1024 * 1024];
        app.service.writeFile(runner.runnerId(), "big.bin", new ByteArrayInputStream(big));
        FilesController files = openFiles(robot, runner.runnerId());
        Await.until(fx(() -> names(files).contains("big.bin")), WAIT, "big.bin listed");
        CountDownLatch never = new CountDownLatch(1);
        files.actions.downloadSink = out -> new FilterOutputStream(out) {
            private int writes;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                if (++writes >= 2) { // a slow network: the rest never comes until the cancel
                    try {
                        never.await(1, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("interrupted");
                    }
                }
            }
        };
        Path into = Files.createDirectories(dir.resolve("slow"));
        robot.interact(() -> files.actions.download(files.view.sorted.stream().filter(e -> e.name().equals("big.bin")).toList(), into));
        Await.until(() -> Files.exists(into.resolve("big.bin")) && Files.size(into.resolve("big.bin")) > 0, WAIT,
                "the download under way");
        click(robot, "#files-transfer-cancel");
        Await.until(fx(() -> files.model.transfers.get(0).isFinished()), WAIT, "the transfer ended");
        assertTrue(onFx(() -> files.model.transfers.get(0).state()).startsWith("Cancelled"), onFx(() -> files.model.transfers.get(0).state()));
        try (Stream<Path> left = Files.list(into)) {
            assertEquals(List.of(), left.toList(), "no partial file left");
        }
    }

    @Test
    void makesRenamesAndDeletesAfterConfirming(FxRobot robot) {
        FilesController files = openFiles(robot, runner.runnerId());
        Await.until(fx(() -> names(files).size() == 3), WAIT, "root listed");
        robot.interact(() -> files.actions.newFolder("made"));
        Await.until(fx(() -> names(files).contains("made")), WAIT, "the new folder listed");
        Await.until(fx(() -> files.selected().size() == 1 && files.selected().get(0).name().equals("made")), WAIT,
                "the new folder selected");
        robot.interact(() -> files.actions.rename(files.selected().get(0), "renamed"));
        Await.until(fx(() -> names(files).contains("renamed") && !names(files).contains("made")), WAIT, () -> "renamed: " + names(files));
        // a name taken is refused, and nothing is replaced
        robot.interact(() -> files.actions.rename(files.view.sorted.stream().filter(e -> e.name().equals("a.txt")).findFirst()
                .orElseThrow(), "b.txt"));
        Await.until(fx(() -> app.window.notifier().history().stream().anyMatch(l -> l.startsWith("error: Cannot rename a.txt"))),
                WAIT, "the refusal said");

        robot.interact(() -> {
            files.view.table.getSelectionModel().clearSelection();
            files.view.sorted.stream().filter(e -> e.name().equals("src") || e.name().equals("b.txt"))
                    .forEach(e -> files.view.table.getSelectionModel().select(e));
        });
        click(robot, "#files-delete");
        Label text = node(robot, "#confirm-text", Label.class);
        String said = onFx(text::getText);
        assertTrue(said.contains("src/") && said.contains("b.txt") && said.contains("with 2 entries in them"), said);
        click(robot, "#confirm-ok");
        Await.until(fx(() -> names(files).equals(List.of("renamed", "a.txt"))), WAIT, () -> "deleted: " + names(files));
    }

    @Test
    void theLiveLineSaysWhetherTheFolderIsWatched(FxRobot robot) {
        FilesController files = openFiles(robot, runner.runnerId());
        Await.until(fx(() -> !files.model.live.get().isEmpty()), WAIT, "the live line");
        assertEquals(FileWatch.LIVE, onFx(() -> files.model.live.get()));
        // a change made elsewhere shows by itself
        app.service.writeFile(runner.runnerId(), "from-elsewhere.txt", bytes("x"));
        Await.until(fx(() -> names(files).contains("from-elsewhere.txt")), WAIT, () -> "the change listed: " + names(files));
        Button refresh = node(robot, "#files-refresh", Button.class);
        assertTrue(onFx(() -> !refresh.isDisabled()), "Refresh is there too");
    }

    static Tab tab(TabPane tabs, String id) {
        return tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().orElseThrow();
    }
}
