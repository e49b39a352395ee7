package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Settings;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.ui.ControllerFixture;
import dev.runnerdesk.ui.OnFxThread;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.terminal.TerminalSessions;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner list's controller without a window, on the real embedded runtime (fake provider). */
@ExtendWith(OnFxThread.class)
class RunnerListControllerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    static Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    private ControllerFixture backend;
    private RunnerListController runners;

    private RunnerListController open(Principal as) {
        backend = new ControllerFixture(dataDir, clock, as);
        Map<String, String> stored = new HashMap<>();
        UiPreferences prefs = UiPreferences.load(new Settings() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(stored.get(key));
            }

            @Override
            public void put(String key, String value) {
                stored.put(key, value);
            }
        });
        runners = new RunnerListController(backend.connection, backend.tasks, backend.notifier, prefs, clock, () -> null,
                new TerminalSessions(backend.tasks, new SimpleBooleanProperty(false)));
        return runners;
    }

    @AfterEach
    void close() {
        runners.deactivate();
        backend.close();
    }

    @Test
    void shownItListsTheBackendsRunners() {
        open(Principal.localUser());
        backend.create();
        backend.create();
        runners.activate();
        RunnerListModel model = runners.model();
        assertEquals(2, model.rows.size());
        assertEquals(2, model.total.get());
        assertTrue(model.loaded.get());
        assertFalse(model.updating.get());
        assertEquals(2, model.count(RunnerState.READY).get());
    }

    @Test
    void aRunnerNotListedYetIsSelectedOnceTheListHasIt() {
        open(Principal.localUser());
        runners.activate();
        assertTrue(runners.model().rows.isEmpty());
        // made since the list loaded (a timeline link's runner can be): its live event has not been handled yet
        String id = backend.create().runnerId();
        runners.select(id);
        assertEquals(List.of(id), runners.selectedRunners().stream().map(Runner::runnerId).toList(),
                "selected from the load select() started");
    }

    @Test
    void changesMadeElsewhereArriveLiveInPlace() {
        open(Principal.localUser());
        String id = backend.create().runnerId();
        runners.activate();
        RunnerRow row = runners.model().rows.get(0);
        backend.service.terminate(id);
        OnFxThread.until(() -> row.runner().state() == RunnerState.TERMINATED, WAIT, "the terminated runner's row");
        assertSame(row, runners.model().rows.get(0), "the row changed in place");
        assertEquals(1, runners.model().count(RunnerState.TERMINATED).get());
    }

    @Test
    void anotherBackendEmptiesTheListAndLoadsItsOwn() {
        open(Principal.localUser());
        backend.create();
        runners.activate();
        assertEquals(1, runners.model().rows.size());
        List<Integer> sizes = new ArrayList<>();
        runners.model().rows.addListener((ListChangeListener<RunnerRow>) c -> sizes.add(runners.model().rows.size()));
        backend.connection.connect(ConnectionProfile.thisComputer()); // a new service of the same runtime
        assertEquals(List.of(0, 1), sizes, "emptied, then loaded from the new backend");
        assertTrue(runners.model().loaded.get());
    }

    @Test
    void hiddenItStopsAndShownAgainItLoadsWhatChanged() {
        open(Principal.localUser());
        backend.create();
        runners.activate();
        runners.deactivate();
        backend.create();
        runners.reload();
        assertEquals(1, runners.model().rows.size(), "a hidden list does not load");
        runners.activate();
        assertEquals(2, runners.model().rows.size());
    }

    @Test
    void aViewerMayNotCreateAndIsToldWhy() {
        open(new Principal("eve", Role.VIEWER));
        runners.activate();
        assertFalse(runners.model().mayAdminister.get());
        assertFalse(runners.model().mayOperate.get());
        runners.newRunner();
        assertEquals(List.of("Cannot create runners: Your role or account does not allow creating runners here."),
                backend.notifier.history());
    }
}
