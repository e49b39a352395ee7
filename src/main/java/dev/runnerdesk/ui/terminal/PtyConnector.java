package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.util.TermSize;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;

import java.io.IOException;
import java.util.function.IntConsumer;

/**
 * The widget's side of an interactive shell (a {@link Terminal} of the service). The shell behind it can
 * be replaced after it ends ({@link #attach}), so a reconnect keeps the widget and its scrollback.
 */
final class PtyConnector extends PipedConnector {
    private final IntConsumer onShellExit;
    private volatile Terminal shell;
    private volatile TermSize size;
    private volatile ExecConsole console;

    PtyConnector(String name, IntConsumer onShellExit) {
        super(name);
        this.onShellExit = onShellExit;
    }

    /** What the service's terminal prints goes here. */
    TerminalListener listener() {
        return new TerminalListener() {
            @Override
            public void onOutput(byte[] data) {
                pipe.push(data);
            }

            @Override
            public void onExit(int exitCode) {
                onShellExit.accept(exitCode);
            }
        };
    }

    void attach(Terminal terminal) {
        this.shell = terminal;
        TermSize current = size;
        if (current != null) {
            terminal.resize(new TerminalSize(current.getColumns(), current.getRows()));
        }
    }

    /** A line of our own in the widget (e.g. "[disconnected]"), in the app's dim colour. */
    void note(String text) {
        pipe.push("\r\n\u001b[2m" + text + "\u001b[0m\r\n");
    }

    /** From now on keys go to {@code console} (which writes into this connector's pipe): there is no shell to be had. */
    void fallBackTo(ExecConsole console) {
        this.console = console;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        ExecConsole fallback = console;
        if (fallback != null) {
            fallback.write(bytes);
            return;
        }
        Terminal current = shell;
        if (current == null || !current.isAlive()) {
            return; // disconnected: keys go nowhere until the reconnect
        }
        try {
            current.write(bytes);
        } catch (RunnerException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void resize(TermSize termSize) {
        size = termSize;
        Terminal current = shell;
        if (current != null && current.isAlive()) {
            current.resize(new TerminalSize(Math.max(1, termSize.getColumns()), Math.max(1, termSize.getRows())));
        }
    }

    @Override
    void release() {
        ExecConsole fallback = console;
        if (fallback != null) {
            fallback.release();
        }
        Terminal current = shell;
        if (current != null) {
            current.close();
        }
    }
}
