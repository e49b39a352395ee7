package dev.runnerdesk.ui;

import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A runner list a test gateway streams (chunked, so the client cannot judge it by its length): {@code runners} runners,
 * each padded to about {@code runnerBytes}, a pause between batches; and a record of when each answer was being sent, to
 * see whether the client still read it (an aborted request ends the stream at the next write).
 */
public final class StreamedAnswer implements AutoCloseable {
    /** When one answer's streaming started and ended (nanoTime); end is 0 while it runs. */
    public static final class Span {
        public final long start = System.nanoTime();
        public volatile long end;
    }

    private final List<Span> spans = new ArrayList<>();
    /** Counted down when the test ends: a gateway still being slow then stops at once. */
    private final CountDownLatch closed = new CountDownLatch(1);

    /** The answer: {@code runners} runners of about {@code runnerBytes} each, {@code batch} at a time, {@code pauseMillis} between. */
    public MockResponse list(int runners, int runnerBytes, int batch, long pauseMillis) {
        return list(body(runners, runnerBytes), batch * runnerBytes, pauseMillis);
    }

    /**
     * The answer {@code body} (see {@link #body}), sent {@code chunkBytes} at a time with {@code pauseMillis} between.
     * Made before the answer is asked for, so that building it costs this JVM nothing while a test measures the app.
     */
    public MockResponse list(byte[] body, int chunkBytes, long pauseMillis) {
        return stream("application/json", body, chunkBytes, pauseMillis);
    }

    /** Any answer {@code body} of {@code contentType} (an exec's NDJSON), sent as {@link #list(byte[], int, long)} sends one. */
    public MockResponse stream(String contentType, byte[] body, int chunkBytes, long pauseMillis) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", contentType)
                .setHeader("Transfer-Encoding", "chunked").body(new MockResponseBody() {
            @Override
            public long getContentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                Span span = new Span();
                synchronized (spans) {
                    spans.add(span);
                }
                try {
                    for (int at = 0; at < body.length; at += chunkBytes) {
                        int n = Math.min(chunkBytes, body.length - at);
                        sink.writeUtf8(Integer.toHexString(n) + "\r\n").write(body, at, n).writeUtf8("\r\n");
                        sink.flush();
                        if (at + n < body.length) {
                            pause(pauseMillis, closed);
                        }
                    }
                    sink.writeUtf8("0\r\n"); // the server ends it with the (empty) trailers
                    sink.flush();
                } finally {
                    span.end = System.nanoTime();
                }
            }
        }).build();
    }

    /** A runner page of {@code runners} runners, each padded to about {@code runnerBytes}. */
    public static byte[] body(int runners, int runnerBytes) {
        StringBuilder json = new StringBuilder(runners * (runnerBytes + 2) + 64).append("{\"runners\":[");
        for (int i = 0; i < runners; i++) {
            json.append(runner(i, runnerBytes, i > 0));
        }
        return json.append("],\"total\":").append(runners).append(",\"limit\":100,\"offset\":0}").toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One runner's JSON, padded with a field the client ignores to about {@code bytes}. */
    public static String runner(int i, int bytes, boolean comma) {
        String json = String.format("{\"runner_id\":\"runner_%012x\",\"state\":\"ready\",\"provider_type\":\"fake\","
                + "\"tool_profile\":\"locked\",\"ttl_seconds\":3600,\"created_at\":\"2026-01-01T00:00:00Z\",\"note\":\"", i);
        int pad = Math.max(0, bytes - json.length() - 3);
        return (comma ? "," : "") + json + "x".repeat(pad) + "\"}";
    }

    /** The answers streamed so far. */
    public List<Span> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** How many answers are being sent now. */
    public long streaming() {
        return spans().stream().filter(s -> s.end == 0).count();
    }

    /** Ends every answer still being sent (the test is over): their pauses stop. */
    @Override
    public void close() {
        closed.countDown();
    }

    /** The gateway being slow for {@code millis} between two chunks (not the test waiting), or until the test ends. */
    private static void pause(long millis, CountDownLatch closed) throws IOException {
        if (millis <= 0) {
            return;
        }
        try {
            if (closed.await(millis, TimeUnit.MILLISECONDS)) {
                throw new IOException("the test has ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
