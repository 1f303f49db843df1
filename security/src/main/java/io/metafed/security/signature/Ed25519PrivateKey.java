package io.metafed.security.signature;

import java.io.IOException;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;

/**
 * An Ed25519 private key: the 32-byte seed of RFC 8032 (§5.1.5), from which the public key is derived. Text form
 * is PEM {@code PRIVATE KEY} (unencrypted PKCS#8, as {@code openssl genpkey -algorithm ed25519} writes).
 * {@link #toString()} never shows key material.
 */
public final class Ed25519PrivateKey {
    public static final int LENGTH = 32;
    static final String PEM_LABEL = "PRIVATE KEY";
    private final Ed25519PrivateKeyParameters params;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(Ed25519PrivateKeyParameters params) {
        this.params = params;
        this.publicKey = Ed25519PublicKey.fromRaw(params.generatePublicKey().getEncoded());
    }

    public static Ed25519PrivateKey fromRaw(byte[] seed) {
        if (seed == null || seed.length != LENGTH) {
            throw new IllegalArgumentException("Ed25519 private key must be a " + LENGTH + "-byte seed, found "
                    + (seed == null ? "null" : seed.length + " bytes"));
        }
        return new Ed25519PrivateKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public static Ed25519PrivateKey fromPem(String pem) {
        byte[] der = KeyPem.decode(pem, PEM_LABEL);
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(der);
        } catch (IOException | RuntimeException e) {
            // The exception text of a parser never contains key bytes, only structure errors.
            throw new IllegalArgumentException("PEM PRIVATE KEY is not readable PKCS#8: " + e, e);
        }
        if (!(key instanceof Ed25519PrivateKeyParameters ed)) {
            throw new IllegalArgumentException("PEM PRIVATE KEY must be Ed25519, found "
                    + key.getClass().getSimpleName());
        }
        return new Ed25519PrivateKey(ed);
    }

    static Ed25519PrivateKey of(Ed25519PrivateKeyParameters params) {
        return new Ed25519PrivateKey(params);
    }

    /** The 32-byte seed (a copy); handle it as a secret. */
    public byte[] raw() {
        return params.getEncoded();
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    public String toPem() {
        try {
            return KeyPem.encode(PrivateKeyInfoFactory.createPrivateKeyInfo(params).getEncoded(), PEM_LABEL);
        } catch (IOException e) {
            throw new IllegalStateException("could not DER-encode an Ed25519 private key", e);
        }
    }

    Ed25519PrivateKeyParameters params() {
        return params;
    }

    @Override
    public String toString() {
        return "Ed25519PrivateKey[public " + publicKey.fingerprint() + "]";
    }
}
