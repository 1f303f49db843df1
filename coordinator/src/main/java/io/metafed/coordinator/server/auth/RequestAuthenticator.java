package io.metafed.coordinator.server.auth;

import io.metafed.coordinator.server.ClientRegistry;
import io.metafed.coordinator.server.handler.ApiException;
import io.metafed.coordinator.server.handler.ApiRequest;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.signature.Ed25519Signer;
import io.metafed.security.signature.Ed25519Verifier;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Checks the signature headers of a client request (docs/PROTOCOL.md, "Authentication") in increasing order of
 * cost: headers well-formed (401 {@code bad_signature}), client enrolled with a key (403 {@code unknown_client}),
 * timestamp within {@link Protocol#MAX_CLOCK_SKEW} (401 {@code bad_timestamp}), signature over the
 * {@link CanonicalRequest} (401 {@code bad_signature}), and only then the nonce is spent (401
 * {@code replayed_request}), so forged requests cannot use up a client's nonces.
 */
public final class RequestAuthenticator {
    /** Nonces remembered per client; see {@link NonceCache}. */
    static final int NONCES_PER_CLIENT = 256;
    /** Compiled once: {@code String.matches} compiles its pattern on every signed request (seen in a profile). */
    private static final java.util.regex.Pattern TIMESTAMP = java.util.regex.Pattern.compile("\\d{1,18}");
    private final ClientRegistry registry;
    private final Clock clock;
    private final NonceCache nonces;

    /** The parsed signature headers of one request. */
    public record SignedHeaders(String clientId, String nonce, long timestampMillis, byte[] signature) {
    }

    private final java.util.function.Predicate<String> revoked;

    public RequestAuthenticator(ClientRegistry registry, Clock clock) {
        this(registry, clock, id -> false);
    }

    /** @param revoked whether the operator revoked a client id: its signed requests get 403 {@code revoked} */
    public RequestAuthenticator(ClientRegistry registry, Clock clock, java.util.function.Predicate<String> revoked) {
        this.revoked = revoked;
        this.registry = registry;
        this.clock = clock;
        this.nonces = new NonceCache(Protocol.MAX_CLOCK_SKEW.toMillis(), NONCES_PER_CLIENT, clock.millis());
    }

    /** Every check for a request signed by an enrolled client; returns the client id. */
    public String authenticate(ApiRequest request, String roundId) {
        SignedHeaders headers = precheck(request);
        Ed25519PublicKey key = registry.publicKey(headers.clientId()).orElseThrow();
        verify(request, headers, roundId, key);
        return headers.clientId();
    }

    /** The cheap checks: headers, enrolled client with a key, timestamp. */
    public SignedHeaders precheck(ApiRequest request) {
        SignedHeaders headers = parse(request);
        if (revoked.test(headers.clientId())) {
            throw new ApiException(403, ErrorCodes.REVOKED, "client " + headers.clientId() + " was revoked by the"
                    + " operator");
        }
        if (registry.publicKey(headers.clientId()).isEmpty()) {
            throw new ApiException(403, ErrorCodes.UNKNOWN_CLIENT, "client " + headers.clientId()
                    + (registry.contains(headers.clientId()) ? " is enrolled without a public key; enroll again"
                    + " with a key and token" : " is not enrolled; POST " + Protocol.ENROLL + " first"));
        }
        return headers;
    }

    /** Headers and timestamp only, for enrollment, where the key comes with the request. */
    public SignedHeaders parse(ApiRequest request) {
        String clientId = required(request, Protocol.CLIENT_HEADER);
        String nonce = required(request, Protocol.NONCE_HEADER);
        String timestamp = required(request, Protocol.TIMESTAMP_HEADER);
        String signature = required(request, Protocol.SIGNATURE_HEADER);
        try {
            ClientIds.require(clientId);
        } catch (IllegalArgumentException e) {
            throw bad("header " + Protocol.CLIENT_HEADER + ": " + e.getMessage());
        }
        byte[] nonceBytes = base64(nonce, Protocol.NONCE_HEADER);
        if (nonceBytes.length != Protocol.NONCE_BYTES) {
            throw bad("header " + Protocol.NONCE_HEADER + " must be base64 of " + Protocol.NONCE_BYTES
                    + " bytes, found " + nonceBytes.length);
        }
        byte[] sig = base64(signature, Protocol.SIGNATURE_HEADER);
        if (sig.length != Ed25519Signer.SIGNATURE_LENGTH) {
            throw bad("header " + Protocol.SIGNATURE_HEADER + " must be base64 of " + Ed25519Signer.SIGNATURE_LENGTH
                    + " bytes, found " + sig.length);
        }
        if (!TIMESTAMP.matcher(timestamp).matches()) {
            throw bad("header " + Protocol.TIMESTAMP_HEADER + " must be milliseconds since the epoch, found '"
                    + timestamp + "'");
        }
        long ts = Long.parseLong(timestamp);
        long now = clock.millis();
        if (Math.abs(now - ts) > Protocol.MAX_CLOCK_SKEW.toMillis()) {
            throw new ApiException(401, ErrorCodes.BAD_TIMESTAMP, "request timestamp " + Instant.ofEpochMilli(ts)
                    + " is more than " + Protocol.MAX_CLOCK_SKEW.toSeconds() + " s from the server's clock "
                    + Instant.ofEpochMilli(now) + "; check the device clock");
        }
        return new SignedHeaders(clientId, nonce, ts, sig);
    }

    /** Signature over the canonical request, then the nonce. */
    public void verify(ApiRequest request, SignedHeaders h, String roundId, Ed25519PublicKey key) {
        // The body's digest straight from the network buffers: an update is hashed without being copied first.
        CanonicalRequest canonical = new CanonicalRequest(request.method(), request.target(), h.clientId(), roundId,
                h.nonce(), h.timestampMillis(), request.body().sha256Hex());
        if (!new Ed25519Verifier(key).verify(canonical.toBytes(), h.signature())) {
            throw bad("signature of client " + h.clientId() + " does not verify over " + request.method() + " "
                    + request.target() + " (round " + roundId + ") with its key " + key.fingerprint());
        }
        if (!nonces.firstUse(h.clientId(), h.nonce(), h.timestampMillis(), clock.millis())) {
            throw new ApiException(401, ErrorCodes.REPLAYED_REQUEST, "request of client " + h.clientId()
                    + " with nonce " + h.nonce() + " was already seen (or predates what the server can check);"
                    + " sign every request with a fresh nonce");
        }
    }

    private static String required(ApiRequest request, String header) {
        return request.header(header).map(String::trim).filter(v -> !v.isEmpty())
                .orElseThrow(() -> bad("header " + header + " is required: requests must be signed"));
    }

    private static byte[] base64(String value, String header) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw bad("header " + header + " must be base64: " + e.getMessage());
        }
    }

    private static ApiException bad(String message) {
        return new ApiException(401, ErrorCodes.BAD_SIGNATURE, message);
    }
}
