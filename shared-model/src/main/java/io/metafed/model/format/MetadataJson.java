package io.metafed.model.format;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The metadata block: a flat JSON object of string values in UTF-8. Keys are written sorted so equal maps
 * give equal bytes (the golden file depends on it). Reading is strict: malformed UTF-8, non-string values,
 * duplicate keys or anything after the object are rejected rather than guessed at.
 */
final class MetadataJson {
    private MetadataJson() {
    }

    static byte[] encode(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            sorted.put(Objects.requireNonNull(e.getKey(), "metadata key"),
                    Objects.requireNonNull(e.getValue(), () -> "metadata value of '" + e.getKey() + "'"));
        }
        StringWriter text = new StringWriter();
        try (JsonWriter w = new JsonWriter(text)) {
            w.beginObject();
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                w.name(e.getKey()).value(e.getValue());
            }
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> decode(byte[] bytes, int offset, int length) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("metadata must be UTF-8", e);
        }
        Map<String, String> result = new TreeMap<>();
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                if (r.peek() != JsonToken.STRING) {
                    throw invalid("metadata value of '" + key + "' must be a string, found " + r.peek(), null);
                }
                if (result.put(key, r.nextString()) != null) {
                    throw invalid("metadata key '" + key + "' must be unique, found it twice", null);
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw invalid("metadata must hold exactly one JSON object, found more after it", null);
            }
        } catch (IOException | IllegalStateException e) {
            // Gson reports syntax errors as IOException and wrong token kinds as IllegalStateException.
            throw invalid("metadata must be a JSON object of string values: " + e.getMessage(), e);
        }
        return result;
    }

    private static WeightFormatException invalid(String message, Throwable cause) {
        return new WeightFormatException(WeightFormatException.Problem.METADATA, message, cause);
    }
}
