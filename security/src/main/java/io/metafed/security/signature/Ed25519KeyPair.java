package io.metafed.security.signature;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** A private key and its public key; {@link #generate()} draws a fresh one from {@link SecureRandom}. */
public record Ed25519KeyPair(Ed25519PrivateKey privateKey, Ed25519PublicKey publicKey) {
    public Ed25519KeyPair {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!privateKey.publicKey().equals(publicKey)) {
            throw new IllegalArgumentException("publicKey must belong to privateKey: expected "
                    + privateKey.publicKey().fingerprint() + ", found " + publicKey.fingerprint());
        }
    }

    public static Ed25519KeyPair of(Ed25519PrivateKey privateKey) {
        return new Ed25519KeyPair(privateKey, privateKey.publicKey());
    }

    public static Ed25519KeyPair generate() {
        return generate(new SecureRandom());
    }

    /** @param random the entropy source; tests pass a seeded one, production code the default */
    public static Ed25519KeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return of(Ed25519PrivateKey.of((Ed25519PrivateKeyParameters) pair.getPrivate()));
    }

    /** Signs with this pair's private key. */
    public byte[] sign(byte[] message) {
        return new Ed25519Signer(privateKey).sign(message);
    }

    @Override
    public String toString() {
        return "Ed25519KeyPair[public " + publicKey.toBase64() + "]";
    }
}
