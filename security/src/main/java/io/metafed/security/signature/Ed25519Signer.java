package io.metafed.security.signature;

import java.util.Objects;

/**
 * Signs messages with an Ed25519 private key (pure Ed25519, RFC 8032 §5.1.6: deterministic, no context).
 * Thread-safe: each call uses its own Bouncy Castle signer.
 */
public final class Ed25519Signer {
    public static final int SIGNATURE_LENGTH = 64;
    private final Ed25519PrivateKey key;

    public Ed25519Signer(Ed25519PrivateKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The 64-byte signature of {@code message}. */
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        org.bouncycastle.crypto.signers.Ed25519Signer signer = new org.bouncycastle.crypto.signers.Ed25519Signer();
        signer.init(true, key.params());
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public Ed25519PublicKey publicKey() {
        return key.publicKey();
    }
}
