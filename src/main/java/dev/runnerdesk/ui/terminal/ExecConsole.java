package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.util.TermSize;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line-editing prompt for backends without a PTY (fake, gateways): each line becomes one exec, split
 * into argv by {@link ShellWords}. History with ↑/↓ per runner, Ctrl+C stops waiting, stderr in red,
 * exit status and duration after each command.
 */
final class ExecConsole extends PipedConnector {
    /** Command history per connection, runner and session ({@link TerminalView#setHistoryKey}), for this run of the app. */
    private static final Map<String, List<String>> HISTORY = new ConcurrentHashMap<>();
    private static final String RED = "\u001b[31m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final RunnerService service;
    private final TaskExecutor tasks;
    private final String runnerId;
    private final String sessionId;
    private final StringBuilder line = new StringBuilder();
    private final List<String> history;
    private final AtomicInteger generation = new AtomicInteger();
    private final StringBuilder escape = new StringBuilder();
    private volatile int timeoutSeconds = ExecRequest.DEFAULT_TIMEOUT_SECONDS;
    private volatile TaskExecutor.Cancellable running;
    private volatile Waits waits = new Waits() {
        @Override
        public void started(int command, String line) {
        }

        @Override
        public void ended(int command) {
        }
    };
    private int historyIndex;

    /**
     * @param into where the prompt and the output go: a new pipe, or that of the shell this console stands in for
     * @param historyKey whose ↑/↓ history this console shares
     */
    ExecConsole(RunnerService service, TaskExecutor tasks, String runnerId, String sessionId, OutputPipe into, String historyKey) {
        super(runnerId + " " + sessionId, into);
        this.service = service;
        this.tasks = tasks;
        this.runnerId = runnerId;
        this.sessionId = sessionId;
        this.history = HISTORY.computeIfAbsent(historyKey, k -> new ArrayList<>());
        this.historyIndex = history.size();
        pipe.push(DIM + "Exec mode: each line runs as one command, without a shell. Quote with ' or \"; use"
                + " sh -c '…' for pipes.\r\nCtrl+C stops waiting · ↑/↓ history · timeout " + timeoutSeconds + " s" + RESET + "\r\n");
        prompt();
    }

    /** Who is told when a command starts and stops being waited for; called from any thread. */
    interface Waits {
        /** Command number {@code command}, typed as {@code line}, was sent to the runner. */
        void started(int command, String line);

        /** Command {@code command} is no longer waited for: it finished, failed, or Ctrl+C stopped the wait. */
        void ended(int command);
    }

    void onWaits(Waits waits) {
        this.waits = waits;
    }

    /** As Ctrl+C while a command runs: stop waiting for it. */
    synchronized void stopWaiting() {
        if (running != null) {
            interrupt();
        }
    }

    void setTimeoutSeconds(int seconds) {
        timeoutSeconds = seconds;
    }

    private void prompt() {
        pipe.push("\u001b[1;32m" + runnerId + RESET + DIM + " exec" + RESET + "$ ");
    }

    @Override
    public synchronized void write(byte[] bytes) {
        String input = new String(bytes, StandardCharsets.UTF_8);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (escape.length() > 0 || c == 0x1b) {
                escape.append(c);
                handleEscape();
                continue;
            }
            if (c == 0x03) {
                interrupt();
            } else if (running != null) {
                continue; // a command is running: typing waits for the prompt
            } else if (c == '\r' || c == '\n') {
                pipe.push("\r\n");
                submit(line.toString());
                line.setLength(0);
            } else if (c == 0x7f || c == 0x08) {
                if (line.length() > 0) {
                    line.setLength(line.length() - 1);
                    pipe.push("\b \b");
                }
            } else if (c == 0x15) { // Ctrl+U
                replaceLine("");
            } else if (c == 0x0c) { // Ctrl+L
                pipe.push("\u001b[H\u001b[2J");
                prompt();
                pipe.push(line.toString());
            } else if (c >= 0x20) {
                line.append(c);
                pipe.push(String.valueOf(c));
            }
        }
    }

    private void handleEscape() {
        String seq = escape.toString();
        if (seq.length() < 3) {
            return;
        }
        escape.setLength(0);
        if (running != null) {
            return;
        }
        if (seq.equals("\u001b[A") || seq.equals("\u001bOA")) {
            if (historyIndex > 0) {
                replaceLine(history.get(--historyIndex));
            }
        } else if (seq.equals("\u001b[B") || seq.equals("\u001bOB")) {
            if (historyIndex < history.size() - 1) {
                replaceLine(history.get(++historyIndex));
            } else {
                historyIndex = history.size();
                replaceLine("");
            }
        }
        // other keys (←/→, function keys) do nothing in a line prompt
    }

    private void replaceLine(String text) {
        line.setLength(0);
        line.append(text);
        pipe.push("\r\u001b[K");
        prompt();
        pipe.push(text);
    }

    private void interrupt() {
        TaskExecutor.Cancellable task = running;
        line.setLength(0);
        if (task != null) {
            int stopped = generation.getAndIncrement();
            task.cancel();
            running = null;
            waits.ended(stopped);
            pipe.push("^C\r\n" + DIM + "stopped waiting; the command may still finish on the runner" + RESET + "\r\n");
        } else {
            pipe.push("^C\r\n");
        }
        prompt();
    }

    private void submit(String text) {
        if (text.isBlank()) {
            prompt();
            return;
        }
        if (history.isEmpty() || !history.get(history.size() - 1).equals(text)) {
            history.add(text);
        }
        historyIndex = history.size();
        List<String> argv;
        try {
            argv = ShellWords.split(text);
        } catch (IllegalArgumentException e) {
            pipe.push(RED + "cannot run this line: " + e.getMessage() + RESET + "\r\n");
            prompt();
            return;
        }
        int mine = generation.incrementAndGet();
        AtomicBoolean printed = new AtomicBoolean();
        AtomicBoolean endsWithNewline = new AtomicBoolean(true);
        OutputListener output = (stream, chunk) -> {
            if (generation.get() != mine || chunk.isEmpty()) {
                return;
            }
            printed.set(true);
            endsWithNewline.set(chunk.endsWith("\n"));
            String shown = chunk.replace("\r\n", "\n").replace("\n", "\r\n");
            pipe.push(stream == OutputListener.Stream.STDERR ? RED + shown + RESET : shown);
        };
        ExecRequest request = new ExecRequest(argv, timeoutSeconds);
        waits.started(mine, text);
        running = tasks.submit("run " + argv.get(0), () -> service.exec(runnerId, sessionId, request, output),
                result -> finished(mine, result, printed.get(), endsWithNewline.get()),
                error -> failed(mine, error));
    }

    private synchronized void finished(int mine, ExecResult result, boolean printed, boolean endsWithNewline) {
        if (generation.get() != mine) {
            return;
        }
        running = null;
        waits.ended(mine);
        if (!printed) {
            // a backend that hands no output while running: show the result's
            if (!result.stdout().isEmpty()) {
                pipe.push(result.stdout().replace("\n", "\r\n"));
            }
            if (!result.stderr().isEmpty()) {
                pipe.push(RED + result.stderr().replace("\n", "\r\n") + RESET);
            }
            endsWithNewline = (result.stdout() + result.stderr()).endsWith("\n") || (result.stdout() + result.stderr()).isEmpty();
        }
        if (!endsWithNewline) {
            pipe.push("\r\n");
        }
        StringBuilder status = new StringBuilder(result.exitCode() == 0 ? DIM : RED);
        status.append(result.timedOut() ? "timed out after " + timeoutSeconds + " s" : "exit " + result.exitCode());
        status.append(" · ").append(result.durationMs()).append(" ms");
        if (result.oom()) {
            status.append(" · killed: out of memory (the profile's memory limit)");
        }
        if (result.truncated()) {
            status.append(" · output truncated at the profile's cap");
        }
        pipe.push(status.append(RESET).append("\r\n").toString());
        prompt();
    }

    private synchronized void failed(int mine, Throwable error) {
        if (generation.get() != mine) {
            return;
        }
        running = null;
        waits.ended(mine);
        String message = Notifier.describe(error);
        pipe.push(RED + "error: " + message + RESET + "\r\n");
        prompt();
    }

    @Override
    public void resize(TermSize termSize) {
        // a line prompt has nothing to tell about its size
    }

    @Override
    void release() {
        TaskExecutor.Cancellable task = running;
        if (task != null) {
            task.cancel();
        }
    }
}
