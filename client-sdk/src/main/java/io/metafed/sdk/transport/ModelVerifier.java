package io.metafed.sdk.transport;

import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.signature.Ed25519Verifier;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a downloaded (or cached) model against the coordinator's model-signing key before any of it is parsed or
 * used: the signature covers the weight-file bytes and the version in {@link Protocol#MODEL_VERSION_HEADER}
 * ({@link SignedMessages#model}), so neither the weights nor the version can be swapped. Public so that a
 * transport on another HTTP stack verifies exactly as {@link HttpCoordinatorTransport} does. Thread-safe.
 */
public final class ModelVerifier {
    private final Ed25519Verifier verifier;

    public ModelVerifier(Ed25519PublicKey key) {
        this.verifier = new Ed25519Verifier(Objects.requireNonNull(key, "key"));
    }

    /**
     * Verifies a model answer by its {@link Protocol#MODEL_VERSION_HEADER} and
     * {@link Protocol#MODEL_SIGNATURE_HEADER} headers.
     *
     * @throws TransportException REFUSED {@code unsigned_model} or {@code bad_signature}
     */
    public void verify(HttpExchange.Response response) {
        verify(response.status(), response.header(Protocol.MODEL_VERSION_HEADER),
                response.header(Protocol.MODEL_SIGNATURE_HEADER), response.body());
    }

    /**
     * @param status    the HTTP status the model came with, for the exception (0: none, e.g. from a cache)
     * @param version   the version header's text
     * @param signature the signature header's text (base64)
     * @param file      the weight-file bytes
     * @throws TransportException REFUSED {@code unsigned_model} or {@code bad_signature}
     */
    public void verify(int status, Optional<String> version, Optional<String> signature, byte[] file) {
        if (signature.isEmpty()) {
            throw TransportException.refused(status, ErrorCodes.UNSIGNED_MODEL, "global model has no "
                    + Protocol.MODEL_SIGNATURE_HEADER + " header; refusing an unsigned model");
        }
        String versionText = version.orElse("");
        long v;
        byte[] sig;
        try {
            v = Long.parseLong(versionText.trim());
            sig = Base64.getDecoder().decode(signature.get().trim());
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw TransportException.refused(status, ErrorCodes.BAD_SIGNATURE, "signed global model needs a numeric "
                    + Protocol.MODEL_VERSION_HEADER + " and a base64 signature, found version '" + versionText
                    + "': " + e.getMessage(), e);
        }
        if (v < 0 || !verifier.verify(SignedMessages.model(v, file), sig)) {
            throw TransportException.refused(status, ErrorCodes.BAD_SIGNATURE, "global model v" + v
                    + " is not signed by the configured model key " + verifier.publicKey().fingerprint()
                    + "; refusing it (tampered in transit, or a coordinator with another key)");
        }
    }
}
