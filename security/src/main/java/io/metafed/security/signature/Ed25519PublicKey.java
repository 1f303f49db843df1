package io.metafed.security.signature;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * An Ed25519 public key (RFC 8032): 32 raw bytes. Text forms are base64 of the raw bytes (compact, for headers,
 * JSON and logs) and PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo, what OpenSSL writes). Immutable.
 */
public final class Ed25519PublicKey {
    public static final int LENGTH = 32;
    static final String PEM_LABEL = "PUBLIC KEY";
    private final byte[] raw;
    private final Ed25519PublicKeyParameters params;

    private Ed25519PublicKey(byte[] raw) {
        this.raw = raw;
        this.params = new Ed25519PublicKeyParameters(raw, 0);
    }

    public static Ed25519PublicKey fromRaw(byte[] raw) {
        if (raw == null || raw.length != LENGTH) {
            throw new IllegalArgumentException("Ed25519 public key must be " + LENGTH + " raw bytes, found "
                    + (raw == null ? "null" : raw.length + " bytes"));
        }
        return new Ed25519PublicKey(raw.clone());
    }

    /** Standard base64 (with padding) of the 32 raw bytes. */
    public static Ed25519PublicKey fromBase64(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Ed25519 public key text must not be null");
        }
        try {
            return fromRaw(Base64.getDecoder().decode(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Ed25519 public key must be base64 of " + LENGTH + " bytes: "
                    + e.getMessage(), e);
        }
    }

    /** A PEM {@code PUBLIC KEY} block, or (for convenience in config files) bare base64 of the raw key. */
    public static Ed25519PublicKey fromText(String text) {
        if (text != null && text.contains("-----BEGIN")) {
            return fromPem(text);
        }
        return fromBase64(text);
    }

    public static Ed25519PublicKey fromPem(String pem) {
        byte[] der = KeyPem.decode(pem, PEM_LABEL);
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(der);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("PEM PUBLIC KEY is not a readable SubjectPublicKeyInfo: " + e, e);
        }
        if (!(key instanceof Ed25519PublicKeyParameters ed)) {
            throw new IllegalArgumentException("PEM PUBLIC KEY must be Ed25519, found "
                    + key.getClass().getSimpleName());
        }
        return new Ed25519PublicKey(ed.getEncoded());
    }

    /** The 32 raw bytes (a copy). */
    public byte[] raw() {
        return raw.clone();
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(raw);
    }

    public String toPem() {
        try {
            return KeyPem.encode(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(params).getEncoded(),
                    PEM_LABEL);
        } catch (IOException e) {
            throw new IllegalStateException("could not DER-encode an Ed25519 public key", e);
        }
    }

    /** First 8 bytes of SHA-256 of the raw key in hex: short enough for logs, long enough to tell keys apart. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            StringBuilder hex = new StringBuilder(16); // not HexFormat: Java 17, absent from Android
            for (int i = 0; i < 8; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    Ed25519PublicKeyParameters params() {
        return params;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + toBase64() + "]";
    }
}
