package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiDetector;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One stream of text that arrives in pieces, passed on only after the PII scanner. Text is held back until a
 * boundary, so a secret that arrives a few characters at a time (a terminal echoing one key per read) is scanned
 * whole; a private key block is held until its END line. More than {@link #MAX_HOLD} held characters are passed on
 * anyway. Not thread-safe: one writer, or the caller's lock.
 */
public final class RedactingBuffer {
    static final int MAX_HOLD = 256 * 1024;

    private final PiiScanner scanner;
    private final boolean anyControlCharacter;
    private final StringBuilder held = new StringBuilder();
    private final Map<PiiDetector, Integer> hits = new EnumMap<>(PiiDetector.class);

    private RedactingBuffer(PiiScanner scanner, boolean anyControlCharacter) {
        this.scanner = scanner;
        this.anyControlCharacter = anyControlCharacter;
    }

    /** Passes on whole lines (command output). */
    public static RedactingBuffer byLine(PiiScanner scanner) {
        return new RedactingBuffer(scanner, false);
    }

    /**
     * Passes on text up to each control character or the end of each escape sequence (terminal output, and
     * keystrokes up to Enter). No detector matches across one except a private key block, which is held whole.
     */
    public static RedactingBuffer byControlCharacter(PiiScanner scanner) {
        return new RedactingBuffer(scanner, true);
    }

    /** Adds {@code chunk}; returns the redacted text that may be passed on now, often empty. */
    public String append(String chunk) {
        held.append(chunk);
        int cut = afterLastBoundary(held.length());
        if (cut == 0 && held.length() < MAX_HOLD) {
            return "";
        }
        if (cut == 0) {
            cut = held.length();
        } else if (held.length() < MAX_HOLD) {
            int begin = held.lastIndexOf("-----BEGIN", cut - 1);
            int end = begin < 0 ? -1 : held.indexOf("-----END", begin);
            if (begin >= 0 && (end < 0 || end >= cut)) {
                cut = afterLastBoundary(begin); // hold the open key block
            }
        }
        return take(cut);
    }

    /** The redacted text still held, which is then empty. */
    public String flush() {
        return take(held.length());
    }

    /** What the scanner found in everything passed on so far. */
    public Map<PiiDetector, Integer> hits() {
        return Collections.unmodifiableMap(hits);
    }

    /** The index after the last boundary before {@code end}, or 0. An escape sequence is never cut. */
    private int afterLastBoundary(int end) {
        for (int i = end - 1; i >= 0; i--) {
            char c = held.charAt(i);
            if (c == TerminalEscapes.ESC && anyControlCharacter) {
                int sequenceEnd = TerminalEscapes.end(held, i, end);
                return sequenceEnd < 0 ? i : sequenceEnd;
            }
            if (c == '\n' || anyControlCharacter && (c < 0x20 || c == 0x7f)) {
                return i + 1;
            }
        }
        return 0;
    }

    private String take(int length) {
        if (length == 0) {
            return "";
        }
        String ready = held.substring(0, length);
        held.delete(0, length);
        PiiScanner.ScanResult scanned = scanner.scan(ready);
        scanned.hits().forEach((detector, n) -> hits.merge(detector, n, Integer::sum));
        return scanned.text();
    }
}
