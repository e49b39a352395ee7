package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.testutil.AuditFill;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.ui.UiHarness;
import dev.runnerdesk.ui.app.MainWindow;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.node;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static dev.runnerdesk.ui.UiHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A million stored events: the timeline loads a page at a time as it scrolls, never the whole trail. */
@ExtendWith(ApplicationExtension.class)
class TimelineScaleTest {
    private static final int STORED = 1_000_000;
    @TempDir
    static Path dataDir;
    private static EmbeddedRuntime runtime;
    private UiHarness app;

    /** Filled before the window starts: a million rows take longer on a loaded machine than TestFX gives its set-up. */
    @BeforeAll
    static void fill() throws Exception {
        runtime = new EmbeddedRuntime(dataDir.resolve("scale"), Clock.systemUTC(), List.of(new FakeProvider()));
        Runner r = runtime.serviceFor(Principal.localUser()).create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
        Instant t0 = Instant.now().minusSeconds(STORED / 1000);
        AuditFill.append(runtime.dataDir(), STORED - 2, i -> new AuditFill.Row(EventTypes.COMMAND_EXECUTED,
                t0.plusMillis(i), r.runnerId(), "sess_000000000001", "local", Map.of("argv", List.of("echo", Integer.toString(i)))));
    }

    /** A page of a million-event trail, on a machine that may be busy with other work. */
    private static final Duration PAGE_WAIT = Duration.ofSeconds(60);

    @Start
    void start(Stage stage) {
        app = new UiHarness(runtime);
        app.show(stage, app.embeddedOnly(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aMillionEventsLoadAPageAtATimeAsYouScroll(FxRobot robot) throws Exception {
        // how fast is the benchmark's to say (scripts/bench.sh); here, on a loaded machine, only that it comes
        robot.interact(() -> app.window.navigate(MainWindow.View.TIMELINE));
        TimelineModel model = app.window.timeline().model();
        Await.until(fx(() -> model.events.size() == 200), PAGE_WAIT, "the first page");
        assertEquals("showing 200 of 1,000,000 events", text(robot, "#timeline-status"));
        assertEquals(STORED, onFx(() -> model.events.get(0).seq()));
        Await.until(fx(() -> text(robot, "#timeline-chain-badge").startsWith("verified")), WAIT, "the first page's chain verified");

        // scrolling to the end of what is loaded loads the next page, and only that
        @SuppressWarnings("unchecked")
        TableView<AuditEvent> events = node(robot, "#timeline-table", TableView.class);
        for (int pages = 2; pages <= 4; pages++) {
            int want = pages * 200;
            // as a reader does: at the end of what is loaded, and again if a scroll came while a page was on its way
            Await.until(fx(() -> {
                if (events.getItems().size() < want && !model.loading.get()) {
                    events.scrollTo(events.getItems().size() - 1);
                }
                return events.getItems().size() == want && !model.loading.get();
            }), PAGE_WAIT, () -> "page " + want / 200);
        }
        List<AuditEvent> loaded = onFx(() -> List.copyOf(events.getItems()));
        assertTrue(loaded.size() <= 1_000, "only pages are loaded, not the trail: " + loaded.size());
        for (int i = 1; i < loaded.size(); i++) {
            assertEquals(loaded.get(i - 1).seq() - 1, loaded.get(i).seq(), "pages join without a gap or overlap");
        }
        assertTrue(text(robot, "#timeline-chain-badge").startsWith("verified"),
                "the chain is checked across page boundaries");
    }
}
