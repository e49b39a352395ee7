package dev.runnerdesk.ui.screen;

import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.scene.image.Image;

import java.io.ByteArrayInputStream;
import java.util.function.Consumer;

/** Reading a computer-use screenshot from the backend, off the FX thread, and saying why it cannot be shown. */
public final class Screenshots {
    private Screenshots() {
    }

    /** Fetches and decodes the screenshot of {@code action} in the background; the result comes on the FX thread. */
    public static TaskExecutor.Cancellable load(TaskExecutor tasks, RunnerService service, ComputerAction action,
                                                Consumer<Image> onImage, Consumer<Throwable> onError) {
        String name = action.screenshot().orElseThrow();
        return tasks.submit("Loading screenshot " + name, () -> decode(service.screenshot(action.runnerId(), name), name),
                onImage, onError);
    }

    static Image decode(byte[] png, String name) {
        Image image = new Image(new ByteArrayInputStream(png));
        if (image.isError() || image.getWidth() <= 0) {
            throw new RunnerException.Unavailable("the screenshot " + name + " is not an image RunnerDesk can read");
        }
        return image;
    }

    /** What the pane says when the screenshot cannot be shown. */
    public static String problem(Throwable e) {
        if (e instanceof RunnerException.NotFound) {
            return "Screenshot missing: the runner has no such file any more (" + Notifier.describe(e) + ").";
        }
        if (e instanceof RunnerException.Forbidden) {
            return "Your role may not read this screenshot: " + Notifier.describe(e);
        }
        return "The backend cannot serve this screenshot: " + Notifier.describe(e);
    }

    /** What the pane says for an action that names no screenshot. */
    public static final String NONE = "No screenshot was stored for this action.";
    public static final String LOADING = "Loading the screenshot…";
    /** What the pane says after its load was cancelled, and how to have it after all. */
    public static final String NOT_LOADED = "The screenshot was not loaded: its load was cancelled. Load the screenshot"
            + " again, or choose this action again, to see it.";
}
