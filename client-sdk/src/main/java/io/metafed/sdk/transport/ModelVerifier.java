package io.metafed.sdk.transport;

import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.signature.Ed25519Verifier;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks a downloaded model against the coordinator's model-signing key before any of it is parsed or used:
 * the signature covers the weight-file bytes and the version in {@link Protocol#MODEL_VERSION_HEADER}
 * ({@link SignedMessages#model}), so neither the weights nor the version can be swapped.
 */
final class ModelVerifier {
    private final Ed25519Verifier verifier;

    ModelVerifier(Ed25519PublicKey key) {
        this.verifier = new Ed25519Verifier(key);
    }

    /** @throws TransportException REFUSED {@code unsigned_model} or {@code bad_signature} */
    void verify(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Optional<String> signature = response.headers().firstValue(Protocol.MODEL_SIGNATURE_HEADER);
        if (signature.isEmpty()) {
            throw TransportException.refused(status, ErrorCodes.UNSIGNED_MODEL, "global model has no "
                    + Protocol.MODEL_SIGNATURE_HEADER + " header; refusing an unsigned model");
        }
        String versionText = response.headers().firstValue(Protocol.MODEL_VERSION_HEADER).orElse("");
        long version;
        byte[] sig;
        try {
            version = Long.parseLong(versionText.trim());
            sig = Base64.getDecoder().decode(signature.get().trim());
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw TransportException.refused(status, ErrorCodes.BAD_SIGNATURE, "signed global model needs a numeric "
                    + Protocol.MODEL_VERSION_HEADER + " and a base64 signature, found version '" + versionText
                    + "': " + e.getMessage(), e);
        }
        if (version < 0 || !verifier.verify(SignedMessages.model(version, response.body()), sig)) {
            throw TransportException.refused(status, ErrorCodes.BAD_SIGNATURE, "global model v" + version
                    + " is not signed by the configured model key " + verifier.publicKey().fingerprint()
                    + "; refusing it (tampered in transit, or a coordinator with another key)");
        }
    }
}
