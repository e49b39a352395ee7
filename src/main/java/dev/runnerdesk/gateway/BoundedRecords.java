package dev.runnerdesk.gateway;

import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

import java.io.IOException;

/**
 * A stream of records from the gateway (NDJSON lines, or server-sent events, which end with a blank line) of which
 * none may be longer than a bound: a gateway that sends one endless line or event fails the read with a clear
 * message instead of filling the memory while a reader waits for the record's end.
 */
final class BoundedRecords extends ForwardingSource {
    /** As large as any JSON answer may be. */
    static final long MAX_RECORD_BYTES = GatewayHttp.MAX_JSON_BYTES;

    private final long max;
    private final boolean endsWithBlankLine;
    private final String what;
    private long sinceEnd;
    private boolean atLineStart = true;

    private BoundedRecords(Source source, long max, boolean endsWithBlankLine, String what) {
        super(source);
        this.max = max;
        this.endsWithBlankLine = endsWithBlankLine;
        this.what = what;
    }

    /** Records that end with a line break (NDJSON). */
    static Source lines(Source source, long max, String what) {
        return new BoundedRecords(source, max, false, what);
    }

    /** Records that end with a blank line (server-sent events). */
    static Source events(Source source, long max, String what) {
        return new BoundedRecords(source, max, true, what);
    }

    /** The gateway answered, but with a record too long to read: an unreadable answer, not a lost connection. */
    static final class TooLong extends IOException {
        TooLong(String message) {
            super(message);
        }
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
        long read = super.read(sink, byteCount);
        for (long i = sink.size() - Math.max(read, 0); i < sink.size(); i++) {
            byte b = sink.getByte(i);
            if (b == '\r') {
                continue; // part of a CRLF line break
            }
            if (b == '\n') {
                if (!endsWithBlankLine || atLineStart) {
                    sinceEnd = 0;
                }
                atLineStart = true;
                continue;
            }
            atLineStart = false;
            if (++sinceEnd > max) {
                throw new TooLong("the gateway's " + what + " sent a record longer than " + max / (1024 * 1024)
                        + " MiB; it was not read");
            }
        }
        return read;
    }
}
