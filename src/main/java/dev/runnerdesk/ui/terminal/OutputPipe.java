package dev.runnerdesk.ui.terminal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What the widget reads: bytes pushed from any thread, decoded as UTF-8 across chunk boundaries, handed
 * out through the blocking {@code read(char[])} of a TtyConnector; {@link #end()} makes it return -1.
 */
final class OutputPipe {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer carry = ByteBuffer.allocate(0);
    private CharBuffer pending = CharBuffer.allocate(0);
    private volatile boolean ended;

    void push(byte[] data) {
        if (data.length > 0 && !ended) {
            queue.add(data);
        }
    }

    void push(String text) {
        push(text.getBytes(StandardCharsets.UTF_8));
    }

    void end() {
        ended = true;
        queue.add(END);
    }

    boolean ready() {
        return pending.hasRemaining() || !queue.isEmpty();
    }

    int read(char[] buf, int offset, int length) throws IOException {
        while (!pending.hasRemaining()) {
            byte[] next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("terminal closed");
            }
            if (next == END) {
                queue.add(END); // stay ended for every later read
                return -1;
            }
            ByteBuffer in = ByteBuffer.allocate(carry.remaining() + next.length);
            in.put(carry).put(next).flip();
            CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, out, false);
            carry = ByteBuffer.allocate(in.remaining());
            carry.put(in).flip();
            pending = out.flip();
        }
        int n = Math.min(length, pending.remaining());
        pending.get(buf, offset, n);
        return n;
    }
}
