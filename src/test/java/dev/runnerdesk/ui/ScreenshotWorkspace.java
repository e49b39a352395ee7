package dev.runnerdesk.ui;

import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.ui.app.MainWindow;
import dev.runnerdesk.ui.files.FilesController;
import javafx.animation.PauseTransition;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Files and Metrics scenes of {@link ScreenshotMain}: a fake runner's workspace with a few files, and its tabs. */
final class ScreenshotWorkspace {
    private ScreenshotWorkspace() {
    }

    /** The running fake runner, with a small project in its workspace; its metrics are asked for (sampling starts). */
    static Runner fill(RunnerService service) {
        Runner r = service.list(RunnerQuery.firstPage()).runners().stream().filter(x -> x.state() == RunnerState.RUNNING)
                .findFirst().orElseThrow();
        String id = r.runnerId();
        service.makeFolder(id, "src/agent");
        service.makeFolder(id, "output");
        service.makeFolder(id, "tests");
        write(service, id, "README.md", """
                # Invoice extraction

                The agent reads the PDFs in `input/`, extracts the totals and writes
                `output/totals.csv`. Run it with:

                    python -m agent.run --input input --output output

                ## Checks
                - every total matches the sum of its lines
                - currency codes are ISO 4217
                """);
        write(service, id, "requirements.txt", "pdfplumber==0.11.0\npandas==2.2.2\n");
        write(service, id, "src/agent/run.py", "import sys\n\nprint('extracting', sys.argv[1:])\n");
        write(service, id, "output/totals.csv", "invoice,total,currency\nINV-001,1200.00,EUR\nINV-002,89.90,USD\n");
        write(service, id, "notes.txt", "x".repeat(24_000));
        service.metrics(id, java.time.Instant.EPOCH);
        return r;
    }

    private static void write(RunnerService service, String id, String path, String text) {
        service.writeFile(id, path, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The runner selected, its Files tab shown with README.md previewed, and an upload in the transfers list. */
    static void showFiles(MainWindow window, Stage stage, Runner runner) {
        window.runners().select(runner.runnerId());
        selectTab(stage, "detail-tab-files");
        PauseTransition later = new PauseTransition(Duration.seconds(1.5));
        later.setOnFinished(e -> {
            stage.getScene().getRoot().lookupAll("#files-tab").forEach(n -> FilesController.of(n).ifPresent(files -> {
                try {
                    Path upload = Files.createTempFile("dataset", ".csv");
                    Files.writeString(upload, "id,value\n1,42\n".repeat(20_000));
                    Path named = Files.move(upload, upload.resolveSibling("dataset.csv"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    named.toFile().deleteOnExit();
                    files.drop(List.of(named.toFile()));
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            }));
            stage.getScene().getRoot().lookupAll("#files-table").forEach(t -> {
                var table = (TableView<?>) t;
                for (int i = 0; i < table.getItems().size(); i++) {
                    if (table.getItems().get(i).toString().contains("name=README.md")) {
                        table.getSelectionModel().select(i);
                    }
                }
            });
        });
        later.play();
    }

    /** The runner selected and its Metrics tab shown. */
    static void showMetrics(MainWindow window, Stage stage, Runner runner) {
        window.runners().select(runner.runnerId());
        selectTab(stage, "detail-tab-metrics");
    }

    private static void selectTab(Stage stage, String id) {
        stage.getScene().getRoot().lookupAll("#detail-tabs").forEach(t -> {
            var tabs = (TabPane) t;
            tabs.getTabs().stream().filter(tab -> id.equals(tab.getId())).findFirst()
                    .ifPresent(tab -> tabs.getSelectionModel().select(tab));
        });
    }
}
