package dev.runnerdesk.policy;

import dev.runnerdesk.core.OutputListener;

import java.util.EnumMap;
import java.util.Map;

/**
 * Redacts streamed output before anyone sees it. Text is passed on a whole line at a time, so a match is
 * never split between two chunks; a private key block is held until its END line (or until the hold grows
 * past {@link #MAX_HOLD} characters). {@link #flush()} passes on what is left when the command ends.
 */
public final class RedactingOutput implements OutputListener {
    static final int MAX_HOLD = 256 * 1024;

    private final PiiScanner scanner;
    private final OutputListener delegate;
    private final Map<Stream, StringBuilder> held = new EnumMap<>(Stream.class);

    public RedactingOutput(PiiScanner scanner, OutputListener delegate) {
        this.scanner = scanner;
        this.delegate = delegate;
    }

    @Override
    public synchronized void onOutput(Stream stream, String chunk) {
        StringBuilder buffer = held.computeIfAbsent(stream, s -> new StringBuilder());
        buffer.append(chunk);
        int cut = buffer.lastIndexOf("\n") + 1;
        if (cut == 0 && buffer.length() < MAX_HOLD) {
            return;
        }
        String ready = buffer.substring(0, cut == 0 ? buffer.length() : cut);
        int begin = ready.lastIndexOf("-----BEGIN");
        if (begin >= 0 && ready.indexOf("-----END", begin) < 0 && buffer.length() < MAX_HOLD) {
            ready = ready.substring(0, ready.lastIndexOf('\n', begin) + 1); // hold the open key block
        }
        if (!ready.isEmpty()) {
            buffer.delete(0, ready.length());
            delegate.onOutput(stream, scanner.scan(ready).text());
        }
    }

    /** Passes on, redacted, whatever is still held. */
    public synchronized void flush() {
        held.forEach((stream, buffer) -> {
            if (buffer.length() > 0) {
                delegate.onOutput(stream, scanner.scan(buffer.toString()).text());
                buffer.setLength(0);
            }
        });
    }
}
