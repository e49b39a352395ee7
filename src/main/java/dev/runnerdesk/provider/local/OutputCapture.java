package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.OutputListener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one output stream of a command to its end: hands decoded text to the listener as it comes (a
 * character split across reads is carried over), keeps at most {@code cap} bytes, and drains the rest so
 * the command never blocks on a full pipe.
 */
final class OutputCapture implements Runnable {
    private final InputStream in;
    private final OutputListener.Stream stream;
    private final OutputListener listener;
    private final int cap;
    private final StringBuilder kept = new StringBuilder();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private long keptBytes;
    private volatile boolean truncated;

    OutputCapture(InputStream in, OutputListener.Stream stream, OutputListener listener, int cap) {
        this.in = in;
        this.stream = stream;
        this.listener = listener;
        this.cap = cap;
    }

    @Override
    public void run() {
        byte[] buf = new byte[16 * 1024];
        ByteBuffer pending = ByteBuffer.allocate(buf.length + 8);
        CharBuffer chars = CharBuffer.allocate(buf.length + 8);
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int take = (int) Math.max(0, Math.min(n, cap - keptBytes));
                if (take < n) {
                    truncated = true;
                }
                if (take == 0) {
                    continue; // over the cap: drain and drop
                }
                keptBytes += take;
                pending.put(buf, 0, take).flip();
                decoder.decode(pending, chars, false);
                pending.compact();
                chars.flip();
                if (chars.hasRemaining()) {
                    String text = chars.toString();
                    kept.append(text);
                    listener.onOutput(stream, text);
                }
                chars.clear();
            }
        } catch (IOException e) {
            // the process was killed (timeout, terminate): keep what was read
        }
    }

    String text() {
        return kept.toString();
    }

    boolean truncated() {
        return truncated;
    }
}
