package dev.runnerdesk.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.runnerdesk.wire.Json;
import okhttp3.ResponseBody;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A page answer read as it streams in, holding no more than asked for: the items of its list fields beyond
 * {@code limit} are skipped as they pass, never built, and the body is refused once it passes the byte cap. A gateway
 * that answers 5,000 runners when 100 were asked costs the hundred, not the 5,000 (and no large garbage that would
 * pause every thread, the window's too, to collect).
 */
final class CappedPage {
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private CappedPage() {
    }

    /** The answer's object, each of {@code lists} holding at most {@code limit} items. */
    static Map<String, Object> read(ResponseBody body, long maxBytes, Set<String> lists, int limit) {
        if (body.contentLength() > maxBytes) {
            GatewayHttp.readBounded(body, maxBytes, "answer"); // refuses it by its length, unread
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(new Capped(body.byteStream(), maxBytes))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw GatewayHttp.invalidResponse("not a JSON object");
            }
            Map<String, Object> page = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (lists.contains(name) && value == JsonToken.START_ARRAY) {
                    List<Object> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (items.size() < limit) {
                            items.add(p.currentToken() == JsonToken.START_OBJECT ? Json.MAPPER.readValue(p, OBJECT)
                                    : Json.MAPPER.readValue(p, Object.class));
                        } else {
                            p.skipChildren(); // beyond the page: passed over, never built
                        }
                    }
                    page.put(name, items);
                } else {
                    page.put(name, Json.MAPPER.readValue(p, Object.class));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw GatewayHttp.invalidResponse("not a JSON object");
            }
            return page;
        } catch (JsonProcessingException e) {
            throw GatewayHttp.invalidResponse("not a JSON object");
        } catch (IOException e) {
            throw new GatewayHttp.UncheckedIOException(e);
        }
    }

    /** The body's bytes up to the cap; one more is the gateway's answer being too large. */
    private static final class Capped extends FilterInputStream {
        private final long max;
        private long read;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            count(Math.max(0, n));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw GatewayHttp.tooLarge(-1, max, "answer");
            }
        }
    }
}
