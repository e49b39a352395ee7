package dev.runnerdesk.testutil;

import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A shell on a runner's PTY that a test types scripts into, one at a time: {@link #run} types the script and then
 * an {@code echo} of a marker the shell has to compute ({@code $((…))}, so the echo of what was typed never
 * matches), and returns what the terminal printed until the marker, or until the deadline. Waits on the output
 * itself (no sleeps); a step that does not finish in time is interrupted with Ctrl+C and reported as unfinished.
 */
public final class TerminalSession implements TerminalListener, AutoCloseable {
    /** What one step printed (the echo of what was typed included) and whether its marker came. */
    public record Typed(String output, boolean finished) {
    }

    private final String name;
    private byte[] buffer = new byte[64 * 1024];
    private int size;
    private boolean exited;
    private int exitCode;
    private int steps;
    private Terminal terminal;

    private TerminalSession(String name) {
        this.name = name;
    }

    /** Opens a wide terminal (few wrapped lines) in the runner's active session and waits until its shell answers. */
    public static TerminalSession open(RunnerService service, String runnerId, String sessionId, String name) {
        TerminalSession session = new TerminalSession(name);
        session.terminal = service.openTerminal(runnerId, sessionId, new TerminalSize(250, 50), session);
        Typed ready = session.run("true", Duration.ofSeconds(60));
        if (!ready.finished()) {
            session.close();
            fail(name + ": the terminal's shell never answered; it printed:\n" + Printable.of(ready.output()));
        }
        return session;
    }

    public String name() {
        return name;
    }

    @Override
    public synchronized void onOutput(byte[] data) {
        if (size + data.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + data.length));
        }
        System.arraycopy(data, 0, buffer, size, data.length);
        size += data.length;
        notifyAll();
    }

    @Override
    public synchronized void onExit(int code) {
        exited = true;
        exitCode = code;
        notifyAll();
    }

    public synchronized boolean exited() {
        return exited;
    }

    /** Everything the terminal printed so far. */
    public synchronized String text() {
        return new String(buffer, 0, size, StandardCharsets.UTF_8);
    }

    /** Types {@code script} (one line, or several) and waits for the shell to get past it. */
    public Typed run(String script, Duration deadline) {
        int step = ++steps;
        String marker = "STEP" + step + "-DONE-" + (1000 + step * 7);
        int from;
        synchronized (this) {
            from = size;
        }
        type(script + "\n");
        type("echo STEP" + step + "-DONE-$((1000+" + step + "*7))\n");
        long end = System.nanoTime() + deadline.toNanos();
        Typed result;
        synchronized (this) {
            while (true) {
                String seen = new String(buffer, from, size - from, StandardCharsets.UTF_8);
                int at = seen.indexOf(marker);
                if (at >= 0) {
                    result = new Typed(seen.substring(0, at), true);
                    break;
                }
                long left = end - System.nanoTime();
                if (exited || left <= 0) {
                    result = new Typed(seen + (exited ? "\n[the shell ended with " + exitCode + "]"
                            : "\n[not finished after " + deadline.toSeconds() + " s]"), false);
                    break;
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Typed(seen + "\n[interrupted]", false);
                }
            }
        }
        if (!result.finished() && !exited()) {
            terminal.write(new byte[] {0x03}); // whatever still runs in the foreground must not eat the next step
        }
        return result;
    }

    public void type(String text) {
        terminal.write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (terminal != null) {
            terminal.close();
        }
    }

    /** Text made readable in a failure message: control characters shown, long text cut in the middle. */
    public static final class Printable {
        private Printable() {
        }

        public static String of(String text) {
            StringBuilder b = new StringBuilder();
            text.codePoints().forEach(c -> {
                if (c == '\n') {
                    b.append('\n');
                } else if (c == 0) {
                    b.append("\\0");
                } else if (c == 0x1b) {
                    b.append("^[");
                } else if (c == '\r') {
                    // terminal line ends: the \n shows it
                } else if (c < 0x20 || c == 0x7f) {
                    b.append(String.format("\\x%02x", c));
                } else {
                    b.appendCodePoint(c);
                }
            });
            String s = b.toString();
            return s.length() <= 3000 ? s : s.substring(0, 1500) + "\n[… " + (s.length() - 3000) + " characters …]\n"
                    + s.substring(s.length() - 1500);
        }
    }
}
