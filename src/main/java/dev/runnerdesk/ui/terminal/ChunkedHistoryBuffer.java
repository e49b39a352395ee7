package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.model.LinesBuffer;
import com.techsenger.jeditermfx.core.model.TerminalTextBuffer;
import com.techsenger.jeditermfx.core.model.hyperlinks.TextProcessing;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scrollback of a terminal, trimmed in chunks. JediTermFX 1.0.0 copies its whole history list for
 * every line that scrolls off once the cap is reached, so output slows down as the scrollback grows; here
 * the copy happens once per chunk, and the lines dropped are counted for the "N lines dropped" notice.
 */
final class ChunkedHistoryBuffer extends LinesBuffer {
    private final int chunk;
    private final AtomicLong dropped = new AtomicLong();
    private int pendingTrim;

    private ChunkedHistoryBuffer(int maxLines, TextProcessing textProcessing) {
        super(maxLines, textProcessing);
        this.chunk = Math.max(64, maxLines / 10);
    }

    /** Replaces the history buffer of a freshly made text buffer (before anything was written to it). */
    static ChunkedHistoryBuffer install(TerminalTextBuffer buffer, int maxLines) {
        try {
            Field history = TerminalTextBuffer.class.getDeclaredField("myHistoryBuffer");
            history.setAccessible(true);
            LinesBuffer old = (LinesBuffer) history.get(buffer);
            Field processing = LinesBuffer.class.getDeclaredField("myTextProcessing");
            processing.setAccessible(true);
            ChunkedHistoryBuffer replacement = new ChunkedHistoryBuffer(maxLines, (TextProcessing) processing.get(old));
            history.set(buffer, replacement);
            return replacement;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JediTermFX changed its TerminalTextBuffer; update ChunkedHistoryBuffer", e);
        }
    }

    @Override
    public synchronized void removeTopLines(int count) {
        pendingTrim += count;
        if (pendingTrim >= chunk || pendingTrim >= getLineCount()) {
            int trim = Math.min(pendingTrim, getLineCount());
            super.removeTopLines(trim);
            dropped.addAndGet(trim);
            pendingTrim = 0;
        }
    }

    @Override
    public synchronized void clearAll() {
        pendingTrim = 0;
        super.clearAll();
    }

    /** Lines that scrolled past the cap and are gone. */
    long dropped() {
        return dropped.get();
    }
}
