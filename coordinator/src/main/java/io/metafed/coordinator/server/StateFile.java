package io.metafed.coordinator.server;

import io.metafed.files.AtomicFiles;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * {@code state.json}: {@code {"formatVersion": 1, "nextRoundId": N}}. The server writes it before it hands out
 * a round's tasks, so round ids seen by clients are never reused after a crash. Written atomically; a file
 * that does not validate stops the server rather than silently reusing ids.
 */
public final class StateFile {
    public static final int FORMAT_VERSION = 1;
    private final Path file;

    public StateFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** The persisted next round id; empty if the file does not exist yet. */
    public OptionalInt readNextRoundId() throws IOException {
        if (!Files.exists(file)) {
            return OptionalInt.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (" + e + ")", e);
        }
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            int version = intField(o, "formatVersion");
            if (version != FORMAT_VERSION) {
                throw new IOException(file + ": formatVersion must be " + FORMAT_VERSION + ", found " + version);
            }
            int next = intField(o, "nextRoundId");
            if (next < 0) {
                throw new IOException(file + ": nextRoundId must be >= 0, found " + next);
            }
            return OptionalInt.of(next);
        } catch (JsonParseException | IllegalStateException | NumberFormatException | ArithmeticException e) {
            throw new IOException(file + ": expected {\"formatVersion\": 1, \"nextRoundId\": N}, found '"
                    + text.strip() + "' (" + e.getMessage() + ")", e);
        }
    }

    public void writeNextRoundId(int nextRoundId) throws IOException {
        if (nextRoundId < 0) {
            throw new IllegalArgumentException("nextRoundId must be >= 0, found " + nextRoundId);
        }
        JsonObject o = new JsonObject();
        o.addProperty("formatVersion", FORMAT_VERSION);
        o.addProperty("nextRoundId", nextRoundId);
        AtomicFiles.write(file, (o + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private int intField(JsonObject o, String name) throws IOException {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IOException(file + ": field " + name + " must be an integer, found " + e);
        }
        return e.getAsJsonPrimitive().getAsBigDecimal().intValueExact();
    }
}
