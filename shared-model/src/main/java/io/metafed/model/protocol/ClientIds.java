package io.metafed.model.protocol;

/** Client ids are 1–64 characters of letters, digits, '-', '_' and '.', so they are safe in URLs and logs. */
public final class ClientIds {
    private ClientIds() {
    }

    public static String require(String clientId) {
        if (clientId == null || !clientId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("clientId must be 1-64 characters of [A-Za-z0-9._-], found "
                    + (clientId == null ? "null" : "'" + clientId + "'"));
        }
        return clientId;
    }
}
