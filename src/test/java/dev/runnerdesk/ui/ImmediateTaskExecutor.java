package dev.runnerdesk.ui;

import dev.runnerdesk.ui.common.RunningTask;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The {@link TaskExecutor} of controller and model tests (JabRef's way): the work runs at once on the calling
 * thread — the FX thread, where {@link OnFxThread} runs the test — and its result or error is handed over before
 * {@code submit} returns, so the test reads the outcome on its next line. What another thread hands to the UI
 * thread (a live event from the runtime's delivery thread) goes to the FX thread's queue, where it runs when the
 * test waits for it with {@link OnFxThread#until}.
 */
public final class ImmediateTaskExecutor implements TaskExecutor {
    private final ObservableList<RunningTask> running = FXCollections.observableArrayList();

    @Override
    public <T> Cancellable submit(String description, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onError) {
        return submitWithProgress(description, progress -> work.call(), onSuccess, onError);
    }

    @Override
    public <T> Cancellable submitWithProgress(String description, ProgressWork<T> work, Consumer<T> onSuccess,
                                              Consumer<Throwable> onError) {
        T result;
        try {
            result = work.run((done, total) -> { });
        } catch (Throwable e) {
            onError.accept(e);
            return () -> { };
        }
        onSuccess.accept(result);
        return () -> { };
    }

    @Override
    public ObservableList<RunningTask> running() {
        return running;
    }
}
