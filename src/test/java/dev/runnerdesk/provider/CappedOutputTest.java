package dev.runnerdesk.provider;

import dev.runnerdesk.core.OutputListener;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CappedOutputTest {
    @Test
    void aCharacterSplitAcrossChunksArrivesWhole() {
        StringBuilder seen = new StringBuilder();
        CappedOutput out = new CappedOutput(OutputListener.Stream.STDOUT, (s, text) -> seen.append(text).append('|'), 1000);
        byte[] bytes = "aé€😀b".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            out.accept(bytes, i, 1);
        }
        out.finish();
        assertEquals("aé€😀b", out.text());
        assertFalse(seen.toString().contains("\uFFFD"), seen.toString());
        assertFalse(out.truncated());
    }

    @Test
    void theCapKeepsTheFirstBytesAndAnIncompleteEndBecomesAReplacement() {
        CappedOutput out = new CappedOutput(OutputListener.Stream.STDERR, OutputListener.NONE, 4);
        byte[] bytes = "abcé".getBytes(StandardCharsets.UTF_8); // 5 bytes: the cap cuts é in half
        out.accept(bytes, 0, bytes.length);
        out.finish();
        assertEquals("abc\uFFFD", out.text());
        assertTrue(out.truncated());
    }
}
