package io.metafed.coordinator.server.codec;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;

/** The one Gson the server uses: UTF-8, no HTML escaping, records by their components. */
public final class Json {
    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Json() {
    }

    public static byte[] toBytes(Object value) {
        return GSON.toJson(value).getBytes(StandardCharsets.UTF_8);
    }
}
