package dev.runnerdesk.provider;

import dev.runnerdesk.core.OutputListener;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One output stream of a command as it arrives in byte chunks: decoded as UTF-8 (a character split across
 * chunks is carried over, bad bytes become U+FFFD), handed to the listener, and kept up to {@code cap} bytes;
 * what is over the cap is dropped and marks the output truncated. Not thread-safe: one reader per stream.
 */
public final class CappedOutput {
    private final OutputListener.Stream stream;
    private final OutputListener listener;
    private final int cap;
    private final StringBuilder kept = new StringBuilder();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private long keptBytes;
    private volatile boolean truncated;

    public CappedOutput(OutputListener.Stream stream, OutputListener listener, int cap) {
        this.stream = stream;
        this.listener = listener;
        this.cap = cap;
    }

    /** Takes {@code n} bytes of {@code buf} from {@code offset}. */
    public void accept(byte[] buf, int offset, int n) {
        int take = (int) Math.max(0, Math.min(n, cap - keptBytes));
        if (take < n) {
            truncated = true;
        }
        if (take == 0) {
            return;
        }
        keptBytes += take;
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + take);
        in.put(pending).put(buf, offset, take).flip();
        CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, chars, false);
        pending = in; // the start of a character cut off by the chunk's end
        emit(chars);
    }

    /** The stream ended: a character left incomplete becomes U+FFFD. */
    public void finish() {
        CharBuffer chars = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, chars, true);
        decoder.flush(chars);
        pending = ByteBuffer.allocate(0);
        emit(chars);
    }

    private void emit(CharBuffer chars) {
        chars.flip();
        if (chars.hasRemaining()) {
            String text = chars.toString();
            kept.append(text);
            listener.onOutput(stream, text);
        }
    }

    public String text() {
        return kept.toString();
    }

    public boolean truncated() {
        return truncated;
    }
}
