package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.util.TermSize;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
    /** Keys typed while the first shell was still being opened, for it; null once it is attached. */
    private ByteArrayOutputStream typedEarly = new ByteArrayOutputStream();
    /** The most typed-ahead keys kept; beyond it they are dropped, as a terminal's own input buffer would. */
    static final int MAX_TYPED_EARLY = 16 * 1024;

    /** @param pipe where the output goes (it may already hold text, e.g. what the terminal showed before) */
    PtyConnector(String name, OutputPipe pipe, IntConsumer onShellExit) {
        super(name, pipe);
        this.onShellExit = onShellExit;
    }

    /**
     * What one shell the service opens prints goes here; held until {@link #attach}, so a line said about the shell
     * when it is attached comes before its first prompt.
     */
    final class ShellOutput implements TerminalListener {
        private List<byte[]> held = new ArrayList<>();

        @Override
        public synchronized void onOutput(byte[] data) {
            if (held != null) {
                held.add(data);
            } else {
                pipe.push(data);
            }
        }

        @Override
        public void onExit(int exitCode) {
            release(null);
            onShellExit.accept(exitCode);
        }

        synchronized void release(String note) {
            if (held == null) {
                return;
            }
            if (note != null) {
                note(note);
            }
            held.forEach(pipe::push);
            held = null;
        }
    }

    ShellOutput listener() {
        return new ShellOutput();
    }

    /** The shell {@code output} belongs to is open: keys go to it, and what it printed so far shows, after {@code note}. */
    void attach(Terminal terminal, ShellOutput output, String note) {
        output.release(note);
        byte[] early;
        synchronized (this) {
            this.shell = terminal;
            early = typedEarly == null ? null : typedEarly.toByteArray();
            typedEarly = null; // a shell after a reconnect gets no keys typed while disconnected: they were for another
        }
        if (early != null && early.length > 0) {
            terminal.write(early);
        }
        TermSize current = size;
        if (current != null) {
            terminal.resize(new TerminalSize(current.getColumns(), current.getRows()));
        }
    }

    /** The opening of a shell was cancelled: keys typed while it opened were for it, and are dropped. */
    synchronized void dropTypedEarly() {
        if (typedEarly != null) {
            typedEarly.reset();
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
        Terminal current;
        synchronized (this) {
            current = shell;
            if (current == null && typedEarly != null) {
                // typed while "Opening…": kept for the shell, which gets them first thing
                if (typedEarly.size() + bytes.length <= MAX_TYPED_EARLY) {
                    typedEarly.write(bytes);
                }
                return;
            }
        }
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
