package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.policy.PiiScanner;
import dev.runnerdesk.policy.RedactingBuffer;
import dev.runnerdesk.store.PrivateFiles;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Records a terminal session as an asciicast v2 file (a JSON header line, then {@code [time, code, data]}
 * lines: "o" output, "i" input, "r" resize), which players such as asciinema replay.
 *
 * <p>What reaches the file has been through the PII scanner (see {@link RedactingBuffer}: a card number typed one
 * key at a time is still found); a {@code block} detector is redacted here too, since a recording cannot be withheld
 * from a session that is already on screen. The file is 0600 and stops at the profile's recording cap with a
 * marker a player shows. Writing is best effort: a full disk stops the recording, never the session.
 */
final class AsciicastRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AsciicastRecorder.class.getName());
    private static final long FLUSH_NANOS = 250_000_000L;
    /** Room kept below the cap for the truncation marker's line. */
    private static final int MARKER_ROOM = 256;

    /** How a recording ended up, for the {@code session.stopped} event. */
    record Summary(Path file, int index, boolean truncated, int capMib, Map<PiiDetector, Integer> piiHits) {
    }

    private final Path file;
    private final int index;
    private final int capMib;
    private final long capBytes;
    private final boolean recordInput;
    private final Consumer<AsciicastRecorder> onTruncated;
    private final long startNanos = System.nanoTime();
    private final Stream output;
    private final Stream input;
    private OutputStream out;
    private long written;
    private boolean truncated;
    private boolean truncationReported;
    private long lastFlush = System.nanoTime();

    /**
     * Starts recording {@code <directory>/<sessionId>-<n>.cast}, {@code n} the first number not taken yet.
     *
     * @param onTruncated called, outside the recorder's lock, when a write reaches the cap (not when {@link #close}
     *                    does: see {@link #claimTruncationReport})
     */
    AsciicastRecorder(Path directory, String sessionId, String title, TerminalSize size, Instant startedAt,
                      ProfilePolicy policy, PiiScanner scanner, Consumer<AsciicastRecorder> onTruncated) {
        this.capMib = policy.recordingCapMib();
        this.capBytes = policy.recordingCapBytes();
        this.recordInput = policy.recordInput();
        this.onTruncated = onTruncated;
        this.output = new Stream("o", scanner);
        this.input = new Stream("i", scanner);
        int n = 1;
        Path candidate = directory.resolve(sessionId + "-" + n + ".cast");
        OutputStream opened = null;
        try {
            PrivateFiles.createDirectories(directory);
            while (opened == null) {
                try {
                    opened = new BufferedOutputStream(PrivateFiles.newFile(candidate), 64 * 1024);
                } catch (FileAlreadyExistsException taken) {
                    // another terminal of the session, or one before a restart
                    candidate = directory.resolve(sessionId + "-" + ++n + ".cast");
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the terminal to " + candidate + ": " + e.getMessage());
        }
        this.file = candidate;
        this.index = n;
        this.out = opened;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("version", 2);
        header.put("width", size.columns());
        header.put("height", size.rows());
        header.put("timestamp", startedAt.getEpochSecond());
        header.put("title", title);
        header.put("env", Map.of("TERM", "xterm-256color", "SHELL", "/bin/bash"));
        try {
            if (out != null) {
                write(line(header));
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    Path file() {
        return file;
    }

    /** The recording's number among the session's, from 1. */
    int index() {
        return index;
    }

    void output(byte[] data) {
        record(output, data);
    }

    void input(byte[] data) {
        if (recordInput) {
            record(input, data);
        }
    }

    void resize(TerminalSize size) {
        boolean reachedCap;
        synchronized (this) {
            reachedCap = event("r", size.columns() + "x" + size.rows());
        }
        reportIf(reachedCap);
    }

    private void record(Stream stream, byte[] data) {
        boolean reachedCap;
        synchronized (this) {
            if (out == null) {
                return; // stopped: nothing more is decoded or scanned
            }
            reachedCap = event(stream.code, stream.redact.append(stream.decode(data)));
        }
        reportIf(reachedCap);
    }

    private void reportIf(boolean reachedCap) {
        if (reachedCap) {
            onTruncated.accept(this);
        }
    }

    /**
     * Whether the caller is the one to write this recording's {@code recording.truncated} event: the first to ask
     * after it was truncated, whether that is the cap's callback or the session's end.
     */
    synchronized boolean claimTruncationReport() {
        if (!truncated || truncationReported) {
            return false;
        }
        truncationReported = true;
        return true;
    }

    /** Writes one event; returns whether this write reached the cap (and so ended the recording). */
    private boolean event(String code, String data) {
        if (out == null || data.isEmpty()) {
            return false;
        }
        double seconds = Math.round((System.nanoTime() - startNanos) / 1e3) / 1e6;
        try {
            byte[] line = line(List.of(seconds, code, data));
            long room = capBytes - MARKER_ROOM - written;
            if (line.length > room) {
                // as much of the event as fits (it was scanned whole), then the marker
                String fits = data;
                while (line.length > room && !fits.isEmpty()) {
                    // each character is at least one byte of the line
                    int end = fits.length() - (int) Math.min(fits.length(), line.length - room);
                    if (end > 0 && Character.isHighSurrogate(fits.charAt(end - 1))) {
                        end--;
                    }
                    fits = fits.substring(0, end);
                    line = line(List.of(seconds, code, fits));
                }
                if (!fits.isEmpty()) {
                    write(line);
                }
                write(line(List.of(seconds, "o", "\r\n[RunnerDesk: recording truncated at " + capMib
                        + " MiB; the session goes on]\r\n")));
                truncated = true;
                closeFile();
                return true;
            }
            write(line);
            if (System.nanoTime() - lastFlush > FLUSH_NANOS) {
                out.flush();
                lastFlush = System.nanoTime();
            }
        } catch (IOException e) {
            fail(e);
        }
        return false;
    }

    private static byte[] line(Object value) {
        StringBuilder json = new StringBuilder();
        AuditChain.writeCanonical(json, value);
        return json.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private void write(byte[] line) throws IOException {
        out.write(line);
        written += line.length;
    }

    private void fail(IOException e) {
        LOG.log(System.Logger.Level.WARNING, "terminal recording " + file + " stopped: " + e.getMessage());
        out = null;
    }

    private void closeFile() {
        try {
            out.close();
        } catch (IOException e) {
            fail(e);
        }
        out = null;
    }

    /** Writes what the scanner still held and closes the file; idempotent. */
    @Override
    public synchronized void close() {
        if (out != null) {
            event(output.code, output.redact.flush());
            event(input.code, input.redact.flush());
        }
        if (out != null) {
            closeFile();
        }
    }

    synchronized Summary summary() {
        Map<PiiDetector, Integer> hits = new EnumMap<>(PiiDetector.class);
        output.redact.hits().forEach((d, n) -> hits.merge(d, n, Integer::sum));
        input.redact.hits().forEach((d, n) -> hits.merge(d, n, Integer::sum));
        return new Summary(file, index, truncated, capMib, hits);
    }

    /** One direction of the terminal: its UTF-8 decoding (a character may be split between reads) and its scanner. */
    private static final class Stream {
        final String code;
        final RedactingBuffer redact;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer carry = ByteBuffer.allocate(0);

        Stream(String code, PiiScanner scanner) {
            this.code = code;
            this.redact = RedactingBuffer.byControlCharacter(scanner);
        }

        String decode(byte[] data) {
            ByteBuffer in = ByteBuffer.allocate(carry.remaining() + data.length);
            in.put(carry).put(data).flip();
            CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, chars, false);
            carry = ByteBuffer.allocate(in.remaining());
            carry.put(in).flip();
            return chars.flip().toString();
        }
    }
}
