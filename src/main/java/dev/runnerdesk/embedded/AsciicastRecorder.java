package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.TerminalSize;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a terminal session as an asciicast v2 file (a JSON header line, then {@code [time, code, data]}
 * lines: "o" output, "i" input, "r" resize), which players such as asciinema replay. Writing is best
 * effort: a full disk stops the recording, never the session.
 */
final class AsciicastRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AsciicastRecorder.class.getName());
    private static final long FLUSH_NANOS = 250_000_000L;

    private final Path file;
    private final long startNanos = System.nanoTime();
    private final Decoder output = new Decoder();
    private final Decoder input = new Decoder();
    private BufferedWriter writer;
    private long lastFlush = System.nanoTime();

    AsciicastRecorder(Path file, TerminalSize size, Instant startedAt, String title) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("version", 2);
            header.put("width", size.columns());
            header.put("height", size.rows());
            header.put("timestamp", startedAt.getEpochSecond());
            header.put("title", title);
            header.put("env", Map.of("TERM", "xterm-256color", "SHELL", "/bin/bash"));
            line(header);
        } catch (IOException e) {
            fail(e);
        }
    }

    Path file() {
        return file;
    }

    synchronized void output(byte[] data) {
        event("o", output.decode(data));
    }

    synchronized void input(byte[] data) {
        event("i", input.decode(data));
    }

    synchronized void resize(TerminalSize size) {
        event("r", size.columns() + "x" + size.rows());
    }

    private void event(String code, String data) {
        if (writer == null || data.isEmpty()) {
            return;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        try {
            line(List.of(Math.round(seconds * 1e6) / 1e6, code, data));
            if (System.nanoTime() - lastFlush > FLUSH_NANOS) {
                writer.flush();
                lastFlush = System.nanoTime();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void line(Object value) throws IOException {
        StringBuilder json = new StringBuilder();
        AuditChain.writeCanonical(json, value);
        writer.write(json.toString());
        writer.write('\n');
    }

    private void fail(IOException e) {
        LOG.log(System.Logger.Level.WARNING, "terminal recording " + file + " stopped", e);
        writer = null;
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                fail(e);
            }
            writer = null;
        }
    }

    /** UTF-8 decoding across chunk boundaries: a character split between two reads is kept for the next. */
    private static final class Decoder {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer carry = ByteBuffer.allocate(0);

        String decode(byte[] data) {
            ByteBuffer in = ByteBuffer.allocate(carry.remaining() + data.length);
            in.put(carry).put(data).flip();
            CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, out, false);
            carry = ByteBuffer.allocate(in.remaining());
            carry.put(in).flip();
            return out.flip().toString();
        }
    }
}
