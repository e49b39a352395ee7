package dev.runnerdesk.provider.local;

import com.pty4j.PtyProcess;
import com.pty4j.WinSize;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/** A shell on a PTY: a reader thread pumps its output to the listener; closing kills the sandbox. */
final class PtyTerminal implements Terminal {
    private final PtyProcess process;
    private final TerminalListener listener;
    private final Runnable onEnd;
    private final OutputStream input;

    PtyTerminal(PtyProcess process, TerminalListener listener, Runnable onEnd) {
        this.process = process;
        this.listener = listener;
        this.onEnd = onEnd;
        this.input = process.getOutputStream();
    }

    void start(String ref) {
        Thread pump = new Thread(() -> {
            byte[] buf = new byte[32 * 1024];
            try (InputStream out = process.getInputStream()) {
                int n;
                while ((n = out.read(buf)) > 0) {
                    listener.onOutput(Arrays.copyOf(buf, n));
                }
            } catch (IOException e) {
                // the PTY closed: the shell ended or was killed
            }
            int code;
            try {
                code = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = -1;
            }
            onEnd.run();
            listener.onExit(code);
        }, "runnerdesk-pty-" + ref);
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public void write(byte[] data) {
        try {
            input.write(data);
            input.flush();
        } catch (IOException e) {
            throw new RunnerException.Conflict("the terminal has ended");
        }
    }

    @Override
    public void resize(TerminalSize size) {
        if (process.isAlive()) {
            process.setWinSize(new WinSize(size.columns(), size.rows()));
        }
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        SandboxProcesses.kill(process);
    }
}
