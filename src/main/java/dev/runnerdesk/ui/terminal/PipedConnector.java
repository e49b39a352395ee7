package dev.runnerdesk.ui.terminal;

import com.techsenger.jeditermfx.core.TtyConnector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** What the widget's two connectors share: output through an {@link OutputPipe}, and an open/closed life. */
abstract class PipedConnector implements TtyConnector {
    final OutputPipe pipe;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final String name;

    PipedConnector(String name) {
        this(name, new OutputPipe());
    }

    /** A connector writing into {@code pipe}, which another connector's widget may already read. */
    PipedConnector(String name, OutputPipe pipe) {
        this.name = name;
        this.pipe = pipe;
    }

    /** Ends what is behind the connector (the shell, a running command). */
    abstract void release();

    @Override
    public int read(char[] buf, int offset, int length) throws IOException {
        return pipe.read(buf, offset, length);
    }

    @Override
    public void write(String string) throws IOException {
        write(string.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean isConnected() {
        return closed.getCount() > 0;
    }

    @Override
    public int waitFor() throws InterruptedException {
        closed.await();
        return 0;
    }

    @Override
    public boolean ready() {
        return pipe.ready();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void close() {
        release();
        pipe.end();
        closed.countDown();
    }
}
