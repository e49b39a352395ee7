package dev.runnerdesk.provider.local;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** One client's connection, whatever carries it: a TCP socket in the sandbox, or a UNIX socket from the relay. */
interface ProxyClient extends Closeable {
    InputStream in() throws IOException;

    OutputStream out() throws IOException;

    void shutdownOutput() throws IOException;

    /** A read timeout in milliseconds (0: none); a carrier without timeouts ignores it. */
    void timeout(int millis) throws IOException;

    static ProxyClient of(Socket s) {
        return new ProxyClient() {
            public InputStream in() throws IOException {
                return s.getInputStream();
            }

            public OutputStream out() throws IOException {
                return s.getOutputStream();
            }

            public void shutdownOutput() throws IOException {
                s.shutdownOutput();
            }

            public void timeout(int millis) throws IOException {
                s.setSoTimeout(millis);
            }

            public void close() throws IOException {
                s.close();
            }
        };
    }

    static ProxyClient of(SocketChannel c) {
        // not Channels.newInputStream/newOutputStream: both take the channel's blocking lock, so a read waiting
        // for the sandbox would hold up every write to it; a socket channel reads and writes at once by itself
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : c.read(ByteBuffer.wrap(b, off, len));
            }
        };
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    c.write(buf);
                }
            }
        };
        return new ProxyClient() {
            public InputStream in() {
                return in;
            }

            public OutputStream out() {
                return out;
            }

            public void shutdownOutput() throws IOException {
                c.shutdownOutput();
            }

            public void timeout(int millis) {
                // the relay's side ends when the sandbox's connection does
            }

            public void close() throws IOException {
                c.close();
            }
        };
    }
}
