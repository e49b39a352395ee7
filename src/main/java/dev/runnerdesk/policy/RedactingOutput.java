package dev.runnerdesk.policy;

import dev.runnerdesk.core.OutputListener;

import java.util.EnumMap;
import java.util.Map;

/**
 * Redacts streamed output before anyone sees it. Text is passed on a whole line at a time, so a match is
 * never split between two chunks (see {@link RedactingBuffer}). {@link #flush()} passes on what is left when the
 * command ends.
 */
public final class RedactingOutput implements OutputListener {
    private final PiiScanner scanner;
    private final OutputListener delegate;
    private final Map<Stream, RedactingBuffer> held = new EnumMap<>(Stream.class);

    public RedactingOutput(PiiScanner scanner, OutputListener delegate) {
        this.scanner = scanner;
        this.delegate = delegate;
    }

    @Override
    public synchronized void onOutput(Stream stream, String chunk) {
        pass(stream, held.computeIfAbsent(stream, s -> RedactingBuffer.byLine(scanner)).append(chunk));
    }

    /** Passes on, redacted, whatever is still held. */
    public synchronized void flush() {
        held.forEach((stream, buffer) -> pass(stream, buffer.flush()));
    }

    private void pass(Stream stream, String text) {
        if (!text.isEmpty()) {
            delegate.onOutput(stream, text);
        }
    }
}
