package io.metafed.sdk.transport;

import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.signature.Ed25519KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The signature headers of docs/PROTOCOL.md ("Authentication") for one request: a fresh random nonce, the
 * current time and the Ed25519 signature of the {@link CanonicalRequest}. Public so that a transport on another
 * HTTP stack signs exactly as {@link HttpCoordinatorTransport} does. Sign every attempt anew: the coordinator
 * refuses a repeated nonce as a replay. Thread-safe.
 */
public final class RequestSigner {
    private final DeviceKeys keys;
    private final SecureRandom random;
    private final Clock clock;

    /**
     * @param random source of nonces
     * @param clock  source of timestamps; the coordinator refuses those far from its own clock
     */
    public RequestSigner(DeviceKeys keys, SecureRandom random, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The key pair of {@code clientId}, whose public half enrollment registers. */
    public Ed25519KeyPair keyPair(String clientId) {
        return keys.keyPair(ClientIds.require(clientId));
    }

    /**
     * The four headers ({@link Protocol#CLIENT_HEADER}, nonce, timestamp, signature) to add to the request.
     *
     * @param method  {@code GET} or {@code POST}
     * @param target  path and query relative to the API root, exactly as appended to the base URI
     * @param roundId the update's round id, or {@link CanonicalRequest#NO_ROUND}
     * @param body    the exact body bytes sent (empty for a GET)
     */
    public Map<String, String> headers(String method, String target, String clientId, String roundId, byte[] body) {
        ClientIds.require(clientId);
        byte[] nonce = new byte[Protocol.NONCE_BYTES];
        random.nextBytes(nonce);
        String nonceText = Base64.getEncoder().encodeToString(nonce);
        long now = clock.millis();
        byte[] canonical = CanonicalRequest.of(method, target, clientId, roundId, nonceText, now, body).toBytes();
        byte[] signature = keys.keyPair(clientId).sign(canonical);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Protocol.CLIENT_HEADER, clientId);
        headers.put(Protocol.NONCE_HEADER, nonceText);
        headers.put(Protocol.TIMESTAMP_HEADER, Long.toString(now));
        headers.put(Protocol.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(signature));
        return headers;
    }
}
