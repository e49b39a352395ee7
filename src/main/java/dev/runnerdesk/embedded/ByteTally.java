package dev.runnerdesk.embedded;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Counts and hashes (SHA-256) the bytes of one transfer as they stream through, for its file event: what was sent to
 * a downloader, or received from an uploader — never the whole file in memory. One transfer, one thread.
 */
final class ByteTally {
    private final MessageDigest sha256;
    private long count;
    private String hex;

    ByteTally() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    long count() {
        return count;
    }

    /** The hash of every byte counted so far; counting ends with the first call. */
    String sha256() {
        if (hex == null) {
            hex = HexFormat.of().formatHex(sha256.digest());
        }
        return hex;
    }

    private void add(byte[] b, int off, int len) {
        if (hex != null) {
            throw new IllegalStateException("the transfer's hash was already taken");
        }
        sha256.update(b, off, len);
        count += len;
    }

    /** {@code sink} counting what is written to it; closing it only flushes (the caller owns {@code sink}). */
    OutputStream around(OutputStream sink) {
        return new FilterOutputStream(sink) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                add(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                add(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /**
     * {@code content} counting what is read from it; once more than {@code maxBytes} have come, reading throws
     * {@code overLimit}'s error, so no provider can take more than the limit whatever it checks itself.
     */
    InputStream around(InputStream content, long maxBytes, Supplier<RuntimeException> overLimit) {
        return new FilterInputStream(content) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    counted(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    counted(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] buffer = new byte[(int) Math.min(8192, Math.max(0, n))];
                long skipped = 0;
                while (skipped < n) { // read, not skipped: every byte is counted and hashed
                    int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                    if (r < 0) {
                        break;
                    }
                    skipped += r;
                }
                return skipped;
            }

            private void counted(byte[] b, int off, int len) {
                add(b, off, len);
                if (count > maxBytes) {
                    throw overLimit.get();
                }
            }
        };
    }
}
