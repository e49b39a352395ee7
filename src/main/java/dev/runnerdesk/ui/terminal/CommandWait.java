package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.WaitIndicator;

/**
 * A command of the exec-mode prompt that runs a while says, above the terminal, what it waits for and for how long,
 * with a Cancel that does what Ctrl+C does. Outside the terminal's text, so the command's output is never mixed with it.
 */
final class CommandWait implements ExecConsole.Waits {
    private static final int MAX_SHOWN = 60;
    private final ExecConsole prompt;
    private final WaitIndicator wait;
    private final TaskExecutor tasks;
    private final String runnerId;
    /** The command waited for now (the prompt's number for it); 0 when none. Read and written on the FX thread. */
    private int waited;

    private CommandWait(ExecConsole prompt, WaitIndicator wait, TaskExecutor tasks, String runnerId) {
        this.prompt = prompt;
        this.wait = wait;
        this.tasks = tasks;
        this.runnerId = runnerId;
    }

    static void show(ExecConsole prompt, WaitIndicator wait, TaskExecutor tasks, String runnerId) {
        prompt.onWaits(new CommandWait(prompt, wait, tasks, runnerId));
    }

    @Override
    public void started(int command, String line) {
        String shown = line.length() > MAX_SHOWN ? line.substring(0, MAX_SHOWN - 1) + "…" : line;
        tasks.onUiThread(() -> {
            waited = command;
            wait.start("Waiting for runner " + runnerId + " to finish “" + shown + "” (Ctrl+C stops waiting)",
                    prompt::stopWaiting);
        });
    }

    @Override
    public void ended(int command) {
        tasks.onUiThread(() -> {
            if (waited == command) {
                waited = 0;
                wait.done();
            }
        });
    }
}
