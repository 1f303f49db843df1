package io.metafed.sdk.transport;

import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.signature.Ed25519KeyPair;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * Adds the signature headers of docs/PROTOCOL.md ("Authentication") to a request: a fresh random nonce, the
 * current time and the Ed25519 signature of the {@link CanonicalRequest}. Thread-safe.
 */
final class RequestSigner {
    private final DeviceKeys keys;
    private final SecureRandom random;
    private final Clock clock;

    RequestSigner(DeviceKeys keys, SecureRandom random, Clock clock) {
        this.keys = keys;
        this.random = random;
        this.clock = clock;
    }

    Ed25519KeyPair keyPair(String clientId) {
        return keys.keyPair(clientId);
    }

    /**
     * @param target  path and query relative to the API root, exactly as appended to the base URI
     * @param roundId the update's round id, or {@link CanonicalRequest#NO_ROUND}
     */
    HttpRequest.Builder sign(HttpRequest.Builder request, String method, String target, String clientId,
            String roundId, byte[] body) {
        byte[] nonce = new byte[Protocol.NONCE_BYTES];
        random.nextBytes(nonce);
        String nonceText = Base64.getEncoder().encodeToString(nonce);
        long now = clock.millis();
        byte[] canonical = CanonicalRequest.of(method, target, clientId, roundId, nonceText, now, body).toBytes();
        byte[] signature = keys.keyPair(clientId).sign(canonical);
        return request.header(Protocol.CLIENT_HEADER, clientId)
                .header(Protocol.NONCE_HEADER, nonceText)
                .header(Protocol.TIMESTAMP_HEADER, Long.toString(now))
                .header(Protocol.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(signature));
    }
}
