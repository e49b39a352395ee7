package dev.runnerdesk.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.WireNames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one JSON mapper of the program (store, server, gateway client, CLI). */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    /** Made once: a timeline page reads hundreds of objects, and {@code readValue} looks the type up each time. */
    private static final ObjectReader MAP_READER = MAPPER.readerFor(MAP);

    /** How deep arrays and objects may nest in a JSON text from outside (a request body); no API shape needs 10. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Parses what callers send: nesting bounded, a key given twice refused (which of the two would count is a guess). */
    private static final JsonFactory UNTRUSTED = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses a request body that must be exactly one JSON object in UTF-8: anything else (invalid UTF-8, another JSON
     * value, a key given twice, nesting over {@link #MAX_NESTING_DEPTH}, content after the object, bad syntax) is an
     * {@link InvalidRequest} saying what is wrong and where, in words meant for the sender.
     */
    public static Map<String, Object> readRequestObject(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequest(null, "the request body is not valid UTF-8");
        }
        try (JsonParser p = UNTRUSTED.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidRequest(null, "the request body must be a JSON object, got " + describe(first));
            }
            Map<String, Object> object = MAP_READER.readValue(p);
            if (!atEnd(p)) {
                throw new InvalidRequest(null, "the request body has more after its JSON object (line "
                        + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr() + ")");
            }
            return object;
        } catch (StreamConstraintsException e) {
            throw new InvalidRequest(null, e.getOriginalMessage().contains("nesting")
                    ? "the request body nests arrays or objects deeper than " + MAX_NESTING_DEPTH + " levels"
                    : "the request body has a number or string longer than the JSON reader takes");
        } catch (JsonParseException e) {
            Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
            if (duplicate.lookingAt()) {
                String key = duplicate.group(1);
                throw new InvalidRequest(key.length() <= 64 ? key : null, "the request body gives the key "
                        + WireNames.quote(key) + " twice");
            }
            throw notJson(e);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from a string cannot fail on I/O", e);
        }
    }

    private static boolean atEnd(JsonParser p) throws IOException {
        try {
            return p.nextToken() == null;
        } catch (JsonParseException e) {
            return false; // something that is not even a JSON token
        }
    }

    private static InvalidRequest notJson(JsonProcessingException e) {
        var at = e.getLocation();
        // the parser's words, without its hints at its own settings ("enable `JsonReadFeature…` to allow")
        String problem = e.getOriginalMessage().replaceFirst("[:;,]?\\s*[^:;,]*`.*$", "");
        return new InvalidRequest(null, "the request body is not a JSON object: " + problem
                + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    /** Parses a JSON object; throws {@link JsonProcessingException} on anything else. */
    public static Map<String, Object> readObject(String json) throws JsonProcessingException {
        return MAP_READER.readValue(json);
    }
}
