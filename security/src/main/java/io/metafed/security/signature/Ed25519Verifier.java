package io.metafed.security.signature;

import java.util.Objects;

/**
 * Verifies Ed25519 signatures against one public key. {@link #verify} answers false for any signature that is not
 * valid, including null and wrong-length ones, so callers have a single refusal path. Thread-safe.
 */
public final class Ed25519Verifier {
    private final Ed25519PublicKey key;

    public Ed25519Verifier(Ed25519PublicKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public boolean verify(byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        if (signature == null || signature.length != Ed25519Signer.SIGNATURE_LENGTH) {
            return false;
        }
        org.bouncycastle.crypto.signers.Ed25519Signer verifier =
                new org.bouncycastle.crypto.signers.Ed25519Signer();
        verifier.init(false, key.params());
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    public Ed25519PublicKey publicKey() {
        return key;
    }
}
