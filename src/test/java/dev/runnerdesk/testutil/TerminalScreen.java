package dev.runnerdesk.testutil;

import dev.runnerdesk.core.TerminalListener;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;


/** Everything the terminal printed, to wait on. */
public final class TerminalScreen implements TerminalListener {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    public final CountDownLatch exited = new CountDownLatch(1);

    @Override
    public synchronized void onOutput(byte[] data) {
        bytes.writeBytes(data);
    }

    @Override
    public void onExit(int exitCode) {
        exited.countDown();
    }

    public synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public void await(String expected) throws InterruptedException {
        Await.until(() -> text().contains(expected), Duration.ofSeconds(15), () -> "\"" + expected + "\"; the screen:\n" + text());
    }
}
