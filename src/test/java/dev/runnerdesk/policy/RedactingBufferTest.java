package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class RedactingBufferTest {
    private static final PiiScanner SCANNER = new PiiScanner(PiiSettings.defaults().with(PiiDetector.CREDIT_CARD, PiiAction.BLOCK));

    /** Feeds {@code text} one character per call, as a terminal echoes typing; returns everything passed on. */
    private static String oneCharacterAtATime(RedactingBuffer buffer, String text) {
        StringBuilder passed = new StringBuilder();
        for (char c : text.toCharArray()) {
            passed.append(buffer.append(String.valueOf(c)));
        }
        return passed.append(buffer.flush()).toString();
    }

    @Test
    void secretsArrivingOneCharacterAtATimeAreFoundWhole() {
        RedactingBuffer buffer = RedactingBuffer.byControlCharacter(SCANNER);
        String typed = "echo 4111 1111 1111 1111\r\u001b[0mDE89 3704 0044 0532 0130 00\r\nada@example.com AKIAIOSFODNN7EXAMPLE";
        String passed = oneCharacterAtATime(buffer, typed);
        assertEquals("echo [REDACTED:credit_card]\r\u001b[0m[REDACTED:iban]\r\n[REDACTED:email] [REDACTED:api_key]", passed);
        assertEquals(Map.of(PiiDetector.CREDIT_CARD, 1, PiiDetector.IBAN, 1, PiiDetector.EMAIL, 1, PiiDetector.API_KEY, 1),
                buffer.hits(), "a blocking detector is counted and redacted like the others");
    }

    @Test
    void textIsPassedOnAtEachControlCharacterAndEscapeSequenceOrEachLine() {
        RedactingBuffer terminal = RedactingBuffer.byControlCharacter(SCANNER);
        assertEquals("", terminal.append("$ ech"));
        assertEquals("$ echo\r", terminal.append("o\rmore"));
        assertEquals("more\u001b[K", terminal.append("\u001b[K"), "an escape sequence is passed on whole");
        assertEquals("", terminal.append("\u001b[01"));
        assertEquals("\u001b[01;31m", terminal.append(";31m4111"));
        RedactingBuffer lines = RedactingBuffer.byLine(SCANNER);
        assertEquals("", lines.append("50%\r"));
        assertEquals("50%\r100%\n", lines.append("100%\nnext"));
        assertEquals("next", lines.flush());
    }

    @Test
    void aPrivateKeyBlockIsHeldUntilItsEndLine() {
        RedactingBuffer buffer = RedactingBuffer.byControlCharacter(SCANNER);
        assertEquals("$ cat key\r\n", buffer.append("$ cat key\r\n-----BEGIN RSA PRIVATE KEY-----\r\n"));
        assertEquals("", buffer.append("MIIEowIBAAKCAQEAxFake\r\n"));
        String rest = buffer.append("-----END RSA PRIVATE KEY-----\r\n");
        assertEquals("[REDACTED:private_key]\r\n", rest);
    }

    @Test
    void aLongRunWithoutABoundaryIsPassedOnOnceTheHoldIsFull() {
        RedactingBuffer buffer = RedactingBuffer.byControlCharacter(SCANNER);
        String run = "x".repeat(RedactingBuffer.MAX_HOLD - 1);
        assertEquals("", buffer.append(run));
        String passed = buffer.append("yy");
        assertEquals(RedactingBuffer.MAX_HOLD + 1, passed.length());
        assertTrue(buffer.flush().isEmpty());
        assertFalse(passed.contains("REDACTED"));
    }
}
