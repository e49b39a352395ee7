package dev.runnerdesk.ui.common;

import dev.runnerdesk.testutil.MemorySettings;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A preference the app writes is read back at the next start; one it would not read back cannot be written. */
class UiPreferencesTest {
    private final MemorySettings settings = new MemorySettings();

    @Test
    void theTerminalSettingsSurviveARestart() {
        UiPreferences first = UiPreferences.load(settings);
        first.put(UiPreferences.TERMINAL_SCROLLBACK, "2500");
        first.put(UiPreferences.TERMINAL_EXEC_TIMEOUT, "90");
        first.flush();
        UiPreferences next = UiPreferences.load(settings);
        assertEquals(Optional.of("2500"), next.get(UiPreferences.TERMINAL_SCROLLBACK));
        assertEquals(Optional.of("90"), next.get(UiPreferences.TERMINAL_EXEC_TIMEOUT));
    }

    @Test
    void aPreferenceThatWouldNotBeReadBackIsRefused() {
        UiPreferences prefs = UiPreferences.load(settings);
        assertThrows(IllegalArgumentException.class, () -> prefs.put("ui.something.new", "1"));
    }
}
