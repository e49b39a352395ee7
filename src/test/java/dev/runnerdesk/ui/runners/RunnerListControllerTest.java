package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.testutil.MemorySettings;
import dev.runnerdesk.testutil.MutableClock;
import dev.runnerdesk.ui.ControllerFixture;
import dev.runnerdesk.ui.OnFxThread;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.terminal.TerminalSessions;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.control.Label;
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
        UiPreferences prefs = UiPreferences.load(new MemorySettings(stored));
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
        assertEquals(List.of("Cannot create runners: Your role is viewer; creating runners needs admin."),
                backend.notifier.history());
    }

    @Test
    void theHeadingCountsWhatTheFilterShowsOfAll() {
        open(Principal.localUser());
        backend.create();
        String id = backend.create().runnerId();
        backend.create();
        runners.activate();
        assertEquals("3 runners", runners.listView().status.getText());
        runners.model().filterText.set(id.substring(id.length() - 8));
        assertEquals("1 of 3 runners", runners.listView().status.getText());
        runners.model().filterText.set("");
        runners.model().stateFilter.add(RunnerState.TERMINATED);
        assertEquals("0 of 3 runners", runners.listView().status.getText());
    }

    @Test
    void terminateAndStopFollowTheStatesOfTheSelectedRunners() {
        open(Principal.localUser());
        String ended = backend.create().runnerId();
        String live = backend.create().runnerId();
        backend.service.terminate(ended);
        backend.service.startSession(live, Optional.empty());
        runners.activate();
        RunnerListView view = runners.listView();
        assertTrue(view.terminateButton.isDisabled(), "nothing selected");
        runners.select(ended);
        assertTrue(view.terminateButton.isDisabled(), "a terminated runner cannot be terminated again");
        assertTrue(view.stopButton.isDisabled(), "it has no session to stop");
        runners.select(live);
        assertFalse(view.terminateButton.isDisabled());
        assertFalse(view.stopButton.isDisabled());
        backend.service.terminate(live);
        OnFxThread.until(() -> view.terminateButton.isDisabled(), WAIT, "Terminate disabled once the runner ended elsewhere");
    }

    @Test
    void rowActionsAreEnabledByStateAndSayWhyNot() {
        open(Principal.localUser());
        String ended = backend.create().runnerId();
        String running = backend.create().runnerId();
        String ready = backend.create().runnerId();
        backend.service.terminate(ended);
        backend.service.startSession(running, Optional.empty());
        runners.activate();
        Map<String, String> whyNot = whyNot(ended);
        assertEquals("already terminated", whyNot.get("terminate"));
        assertTrue(whyNot.get("terminal").contains("has ended"), whyNot.get("terminal"));
        assertEquals("", whyNot.get("copy-id"), "an id can always be copied");
        assertEquals("", whyNot.get("timeline"));
        whyNot = whyNot(running);
        assertEquals("a session is already active", whyNot.get("start"));
        assertEquals("", whyNot.get("stop"));
        assertEquals("", whyNot.get("terminal"));
        whyNot = whyNot(ready);
        assertEquals("no active session", whyNot.get("stop"));
        assertEquals("", whyNot.get("start"));
    }

    @Test
    void aViewersRowActionsSayWhichRoleTheyNeed() {
        open(new Principal("eve", Role.VIEWER));
        String id = backend.create().runnerId();
        runners.activate();
        Map<String, String> whyNot = whyNot(id);
        assertEquals("your role is viewer; terminating runners needs admin", whyNot.get("terminate"));
        assertEquals("your role is viewer; starting sessions needs operator or admin", whyNot.get("start"));
        assertEquals("", whyNot.get("copy-id"));
    }

    @Test
    void newRunnerIsDisabledWithAReasonWhileDisconnected() {
        open(Principal.localUser());
        runners.activate();
        assertFalse(runners.listView().createButton.isDisabled());
        assertEquals("", runners.whyNotCreate());
        backend.connection.report(new RunnerException.Unavailable("the gateway does not answer"));
        assertTrue(runners.listView().createButton.isDisabled());
        assertTrue(runners.whyNotCreate().startsWith("not connected"), runners.whyNotCreate());
        assertTrue(RoleGate.reasonShown(runners.listView().createButton).startsWith("Not connected"),
                "the reason shows on hover: " + RoleGate.reasonShown(runners.listView().createButton));
        runners.newRunner();
        assertTrue(backend.notifier.history().get(backend.notifier.history().size() - 1).startsWith("Cannot create runners: Not connected"));
        assertTrue(runners.listView().emptyState.createFake.isDisabled());
        assertTrue(runners.listView().emptyState.lookup("#empty-role-note") instanceof Label note
                && note.getText().startsWith("Cannot create runners now: not connected"), "the empty list says why too");
        backend.connection.reportSuccess();
        assertFalse(runners.listView().createButton.isDisabled(), "enabled again once the connection is back");
    }

    @Test
    void theEmptyStateSaysWhetherALocalSandboxIsPossibleHere() {
        open(Principal.localUser());
        runners.activate();
        RunnerListEmptyState empty = runners.listView().emptyState;
        // the fixture's runtime has only the fake provider: it says the local sandbox is not available, and why
        assertTrue(empty.createLocal.isDisabled());
        assertTrue(empty.localStatus.getText().startsWith("Not available here: "), empty.localStatus.getText());
        assertFalse(empty.createFake.isDisabled());
        empty.createFake.fire();
        assertEquals(1, runners.model().rows.size(), "one click created a runner");
        assertEquals(ProviderType.FAKE, runners.model().rows.get(0).runner().providerType());
        assertEquals(runners.model().rows.get(0).runner(), runners.selectedRunner().orElseThrow(), "and selected it");
    }

    private Map<String, String> whyNot(String runnerId) {
        Runner r = runners.model().find(runnerId).orElseThrow();
        Map<String, String> byId = new HashMap<>();
        runners.rowActions(r).forEach(a -> byId.put(a.id(), a.whyNot()));
        return byId;
    }
}
