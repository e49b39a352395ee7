package dev.runnerdesk.ui.connections;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.ControllerFixture;
import dev.runnerdesk.ui.ImmediateTaskExecutor;
import dev.runnerdesk.ui.OnFxThread;
import dev.runnerdesk.ui.common.RunningTask;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one loader of the views: a newer load wins, stale results are dropped, failures go where they belong. */
@ExtendWith(OnFxThread.class)
class ViewLoaderTest {
    @TempDir
    static Path dataDir;
    private ControllerFixture backend;
    private final HeldTasks held = new HeldTasks();
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final List<Object> loaded = new ArrayList<>();
    private final List<Throwable> failed = new ArrayList<>();
    private ViewLoader loader;

    @BeforeEach
    void connect() {
        backend = new ControllerFixture(dataDir, Clock.systemUTC());
        loader = new ViewLoader(backend.connection, held, loading);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private boolean load(String answer) {
        return loader.load("load " + answer, service -> answer, loaded::add, failed::add);
    }

    @Test
    void aNewerLoadCancelsTheOneBeforeAndOnlyItsResultIsShown() {
        load("first");
        load("second");
        assertTrue(held.tasks.get(0).cancelled, "the first load was cancelled");
        assertTrue(loading.get());
        held.finish(0); // as if it had finished at the moment it was cancelled
        assertEquals(List.of(), loaded);
        assertTrue(loading.get(), "the second load still runs");
        held.finish(1);
        assertEquals(List.of("second"), loaded);
        assertFalse(loading.get());
    }

    @Test
    void aResultFromABackendTheConnectionHasLeftIsDropped() {
        load("from the old backend");
        RunnerService before = backend.connection.service();
        backend.connection.connect(ConnectionProfile.thisComputer()); // opens another service
        assertFalse(before == backend.connection.service());
        held.finish(0);
        assertEquals(List.of(), loaded);
        assertEquals(List.of(), failed);
        assertFalse(loading.get());
    }

    @Test
    void cancelDropsTheResultAndClearsTheLoadingMark() {
        load("unwanted");
        loader.cancel();
        assertFalse(loading.get());
        held.finish(0);
        assertEquals(List.of(), loaded);
    }

    @Test
    void aConnectionFailureGoesToTheConnectionAndAnyOtherToTheCaller() {
        loader.load("offline", service -> {
            throw new RunnerException.Unavailable("gateway unreachable");
        }, loaded::add, failed::add);
        held.finish(0);
        assertEquals(List.of(), failed, "the banner says it, not the view");
        assertEquals(ActiveConnection.Health.OFFLINE, backend.connection.health());

        loader.load("missing", service -> {
            throw new RunnerException.NotFound("no runner runner_000000000001");
        }, loaded::add, failed::add);
        held.finish(1);
        assertEquals(1, failed.size());
        assertTrue(failed.get(0) instanceof RunnerException.NotFound);
        assertFalse(loading.get());
    }

    @Test
    void aCancelSaysWhatTheLoadThatRanLeftUndoneWhateverWasSaidSince() {
        WaitIndicator wait = new WaitIndicator("test-wait", true);
        List<String> cancelled = new ArrayList<>();
        loader.showingWaitIn(wait, "load the newest", "Cancelled — the newest were not loaded", () -> cancelled.add("run"));
        loader.saying("load older ones", "Cancelled — older ones were not loaded").load("older", service -> "x",
                loaded::add, failed::add);
        assertTrue(wait.text().matches("Waiting for .+ to load older ones…"), wait.text());
        loader.saying("load the newest", "Cancelled — the newest were not loaded"); // for the next load; none starts

        assertTrue(wait.cancel(), "a load waits");

        assertEquals("Cancelled — older ones were not loaded", wait.text());
        assertEquals(List.of("run"), cancelled);
        assertFalse(loading.get());
        assertTrue(held.tasks.get(0).cancelled, "the load was stopped");
        held.finish(0);
        assertEquals(List.of(), loaded, "what it would have brought is dropped");
        assertEquals(List.of(), failed, "a cancel is not a failure");
    }

    @Test
    void withoutABackendNothingIsAsked() {
        backend.connection.close();
        assertFalse(load("nothing"));
        assertTrue(held.tasks.isEmpty());
        assertFalse(loading.get());
    }

    @Test
    void theWorkGetsTheBackendTheLoadStartedWith() {
        ImmediateTaskExecutor immediate = new ImmediateTaskExecutor();
        ViewLoader now = new ViewLoader(backend.connection, immediate, loading);
        List<RunnerService> seen = new ArrayList<>();
        assertTrue(now.load("who", service -> service, seen::add, failed::add));
        assertSame(backend.connection.service(), seen.get(0), "an immediate executor hands the result over before load returns");
        assertFalse(loading.get());
    }

    /** Holds each task until the test finishes it, cancelled or not — the race a real executor can lose. */
    private static final class HeldTasks implements TaskExecutor {
        final List<Held<?>> tasks = new ArrayList<>();

        @Override
        public <T> Cancellable submit(String description, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onError) {
            Held<T> task = new Held<>(work, onSuccess, onError);
            tasks.add(task);
            return () -> task.cancelled = true;
        }

        @Override
        public <T> Cancellable submitWithProgress(String description, ProgressWork<T> work, Consumer<T> onSuccess,
                                                  Consumer<Throwable> onError) {
            return submit(description, () -> work.run((done, total) -> { }), onSuccess, onError);
        }

        /** Runs task {@code i} and hands its outcome back even if it was cancelled (its result raced the cancel). */
        void finish(int i) {
            tasks.get(i).run();
        }

        @Override
        public void onUiThread(Runnable action) {
            action.run();
        }

        @Override
        public ObservableList<RunningTask> running() {
            return FXCollections.observableArrayList();
        }
    }

    private static final class Held<T> {
        final Callable<T> work;
        final Consumer<T> onSuccess;
        final Consumer<Throwable> onError;
        boolean cancelled;

        Held(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onError) {
            this.work = work;
            this.onSuccess = onSuccess;
            this.onError = onError;
        }

        void run() {
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                onError.accept(e);
                return;
            }
            onSuccess.accept(result);
        }
    }
}
