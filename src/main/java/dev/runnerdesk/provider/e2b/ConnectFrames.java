package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.wire.Json;
import okio.BufferedSource;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The Connect protocol's envelopes for streaming calls with the JSON codec: one flags byte (0x01
 * compressed, 0x02 end of stream), a big-endian uint32 length, then the JSON message — or, with 0x02, the
 * {@code EndStreamResponse} ({@code {}} or {@code {"error":{"code","message"}}}).
 */
final class ConnectFrames {
    static final int COMPRESSED = 0x01;
    static final int END_STREAM = 0x02;
    /** Larger messages are refused rather than buffered (envd sends ≤ 32 KiB of output per message). */
    static final long MAX_MESSAGE_BYTES = 16L * 1024 * 1024;

    private ConnectFrames() {
    }

    /** One enveloped message, as a request body. */
    static byte[] envelope(byte[] json) {
        return ByteBuffer.allocate(5 + json.length).put((byte) 0).putInt(json.length).put(json).array();
    }

    /** A received envelope. */
    record Frame(int flags, JsonNode message) {
        boolean endOfStream() {
            return (flags & END_STREAM) != 0;
        }
    }

    /** The next envelope, or null when the body ended cleanly between envelopes (without an end-of-stream one). */
    static Frame next(BufferedSource in) throws IOException {
        if (in.exhausted()) {
            return null;
        }
        int flags = in.readByte() & 0xFF;
        long length = in.readInt() & 0xFFFFFFFFL;
        if ((flags & COMPRESSED) != 0) {
            throw new IOException("envd sent a compressed message, which was not asked for");
        }
        if (length > MAX_MESSAGE_BYTES) {
            throw new IOException("envd sent a " + length + "-byte message; the limit is " + MAX_MESSAGE_BYTES);
        }
        byte[] payload;
        try {
            payload = in.readByteArray(length);
        } catch (EOFException e) {
            return null; // cut inside a message: as truncated as a missing end of stream
        }
        return new Frame(flags, payload.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(payload));
    }
}
