package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shell whose opening was cancelled is closed once, whether it arrives before or after the cancel; else kept. */
class ShellOpeningTest {
    private final List<Terminal> closed = new ArrayList<>();
    private final ShellOpening opening = new ShellOpening(closed::add);
    private final Terminal shell = new Terminal() {
        @Override
        public void write(byte[] input) {
        }

        @Override
        public void resize(TerminalSize size) {
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public void close() {
        }
    };

    @Test
    void aShellArrivingAfterTheCancelIsClosedAndNotTaken() {
        opening.cancel();
        opening.arrived(shell);
        assertEquals(List.of(shell), closed);
        assertFalse(opening.take());
    }

    @Test
    void aShellArrivedButNotYetTakenIsClosedByTheCancel() {
        opening.arrived(shell);
        opening.cancel();
        assertEquals(List.of(shell), closed);
        assertFalse(opening.take());
        opening.cancel();
        assertEquals(1, closed.size(), "closed once");
    }

    @Test
    void aShellTakenIsNotClosed() {
        opening.arrived(shell);
        assertTrue(opening.take());
        assertTrue(closed.isEmpty());
    }
}
