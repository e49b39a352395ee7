package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keys typed while the shell is being opened reach it once it is there (issue 17: they were dropped). */
class PtyConnectorTest {
    /** A shell that keeps what it is sent. */
    private static final class Shell implements Terminal {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean alive = true;

        @Override
        public void write(byte[] input) {
            got.writeBytes(input);
        }

        @Override
        public void resize(TerminalSize size) {
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public void close() {
            alive = false;
        }

        String text() {
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    private static void type(PtyConnector connector, String keys) throws IOException {
        connector.write(keys.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysTypedWhileOpeningGoToTheShellFirstThingAndInOrder() throws IOException {
        PtyConnector connector = new PtyConnector("test", new OutputPipe(), code -> { });
        type(connector, "ls -l");
        type(connector, "a\r");
        Shell shell = new Shell();
        connector.attach(shell, connector.listener(), null);
        type(connector, "pwd\r");
        assertEquals("ls -la\rpwd\r", shell.text());
    }

    @Test
    void aShellAfterADisconnectGetsNoneOfTheKeysTypedMeanwhile() throws IOException {
        PtyConnector connector = new PtyConnector("test", new OutputPipe(), code -> { });
        Shell first = new Shell();
        connector.attach(first, connector.listener(), null);
        first.alive = false;
        type(connector, "rm -rf build\r"); // typed into a dead terminal: meant for a shell that is gone
        Shell second = new Shell();
        connector.attach(second, connector.listener(), "[reconnected]");
        assertEquals("", second.text());
    }

    @Test
    void typingAheadIsBounded() throws IOException {
        PtyConnector connector = new PtyConnector("test", new OutputPipe(), code -> { });
        type(connector, "x".repeat(PtyConnector.MAX_TYPED_EARLY));
        type(connector, "more");
        Shell shell = new Shell();
        connector.attach(shell, connector.listener(), null);
        assertEquals(PtyConnector.MAX_TYPED_EARLY, shell.text().length());
    }
}
