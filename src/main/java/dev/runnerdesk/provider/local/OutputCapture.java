package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.provider.CappedOutput;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one output stream of a command to its end through a {@link CappedOutput}, draining what is over
 * the cap so the command never blocks on a full pipe.
 */
final class OutputCapture implements Runnable {
    private final InputStream in;
    private final CappedOutput output;

    OutputCapture(InputStream in, OutputListener.Stream stream, OutputListener listener, int cap) {
        this.in = in;
        this.output = new CappedOutput(stream, listener, cap);
    }

    @Override
    public void run() {
        byte[] buf = new byte[16 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.accept(buf, 0, n);
            }
        } catch (IOException e) {
            // the process was killed (timeout, terminate): keep what was read
        }
        output.finish();
    }

    String text() {
        return output.text();
    }

    boolean truncated() {
        return output.truncated();
    }
}
