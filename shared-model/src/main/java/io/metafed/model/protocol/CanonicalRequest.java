package io.metafed.model.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The string a device signs for one request: eight lines joined by {@code \n} (no trailing newline), UTF-8:
 * <pre>
 * metafed-request-v1
 * METHOD                  e.g. POST
 * path?query              as sent, relative to the API root, e.g. /v1/task?client=user-1
 * client id
 * round id                the update's round.id for POST /v1/update, otherwise "-"
 * nonce                   base64 of {@value Protocol#NONCE_BYTES} random bytes
 * timestamp               milliseconds since the epoch, decimal
 * SHA-256 of the body     lower-case hex (of the empty string when there is no body)
 * </pre>
 * No field may contain a line break, so the lines cannot be shifted into one another.
 */
public record CanonicalRequest(String method, String target, String clientId, String roundId, String nonce,
        long timestampMillis, String bodySha256Hex) {
    /** The round-id line of requests that are not updates. */
    public static final String NO_ROUND = "-";

    public CanonicalRequest {
        requireLine(method, "method");
        requireLine(target, "target");
        ClientIds.require(clientId);
        requireLine(roundId, "roundId");
        requireLine(nonce, "nonce");
        requireLine(bodySha256Hex, "bodySha256Hex");
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("target must start with '/', found '" + target + "'");
        }
    }

    public static CanonicalRequest of(String method, String target, String clientId, String roundId, String nonce,
            long timestampMillis, byte[] body) {
        return new CanonicalRequest(method, target, clientId, roundId, nonce, timestampMillis,
                SignedMessages.sha256Hex(body));
    }

    public byte[] toBytes() {
        return String.join("\n", SignedMessages.REQUEST_CONTEXT, method, target, clientId, roundId, nonce,
                Long.toString(timestampMillis), bodySha256Hex).getBytes(StandardCharsets.UTF_8);
    }

    private static void requireLine(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(name + " must be a non-empty single line, found '" + value + "'");
        }
    }
}
