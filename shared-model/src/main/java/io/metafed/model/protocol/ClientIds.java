package io.metafed.model.protocol;

import java.util.regex.Pattern;

/** Client ids are 1–64 characters of letters, digits, '-', '_' and '.', so they are safe in URLs and logs. */
public final class ClientIds {
    /** Compiled once: the server checks ids several times per request, and String.matches compiles each time. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ClientIds() {
    }

    public static String require(String clientId) {
        if (clientId == null || !VALID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("clientId must be 1-64 characters of [A-Za-z0-9._-], found "
                    + (clientId == null ? "null" : "'" + clientId + "'"));
        }
        return clientId;
    }
}
