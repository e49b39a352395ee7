package dev.runnerdesk.ui.terminal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exec prompt's argv splitting, as the README documents it. */
class ShellWordsTest {
    @Test
    void splitsLikeAPosixShellWithoutInterpretingAnythingElse() {
        assertEquals(List.of("echo", "a", "b"), ShellWords.split("  echo   a\tb "));
        assertEquals(List.of("echo", "a b", "it's"), ShellWords.split("echo 'a b' \"it's\""));
        assertEquals(List.of("printf", "%s\\n", "$HOME", "*.txt"), ShellWords.split("printf '%s\\n' '$HOME' *.txt"));
        assertEquals(List.of("say", "\"q\" \\ $ `"), ShellWords.split("say \"\\\"q\\\" \\\\ \\$ \\`\""));
        assertEquals(List.of("a b", "c"), ShellWords.split("a\\ b c"));
        assertEquals(List.of("", "x"), ShellWords.split("'' x"));
        assertEquals(List.of("ab"), ShellWords.split("a'b'"));
        assertEquals(List.of(), ShellWords.split("   "));
    }

    @Test
    void unbalancedQuotesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo 'x")).getMessage().contains("single"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo \"x")).getMessage().contains("double"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo x\\")).getMessage().contains("backslash"));
    }
}
