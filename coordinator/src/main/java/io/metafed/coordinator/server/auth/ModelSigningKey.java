package io.metafed.coordinator.server.auth;

import io.metafed.model.protocol.SignedMessages;
import io.metafed.security.signature.Ed25519KeyPair;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.signature.Ed25519Signer;
import io.metafed.security.signature.KeyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The coordinator's long-lived model-signing key in {@code <data-dir>/keys/} ({@value #PRIVATE_FILE}, mode 0600):
 * made by {@link #create} when an operator initializes a data directory or rotates the key, and loaded by
 * {@link #load} on every other start, so devices that ship with the public key
 * ({@value #PUBLIC_FILE}) keep accepting models across restarts. Signs {@link SignedMessages#model}.
 */
public final class ModelSigningKey {
    public static final String PRIVATE_FILE = "model-signing-key.pem";
    public static final String PUBLIC_FILE = "model-signing-key.pub.pem";
    private final Ed25519KeyPair pair;
    private final Ed25519Signer signer;
    private final Path publicKeyFile;

    private ModelSigningKey(Ed25519KeyPair pair, Path publicKeyFile) {
        this.pair = pair;
        this.signer = new Ed25519Signer(pair.privateKey());
        this.publicKeyFile = publicKeyFile;
    }

    /** Whether {@code keysDir} holds the private key. */
    public static boolean exists(Path keysDir) {
        return java.nio.file.Files.exists(keysDir.resolve(PRIVATE_FILE));
    }

    /** The existing key; refuses to make one (a lost key must be restored or rotated on purpose). */
    public static ModelSigningKey load(Path keysDir) throws IOException {
        Path file = keysDir.resolve(PRIVATE_FILE);
        if (!java.nio.file.Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "model-signing key missing");
        }
        return publish(KeyFiles.readKeyPair(file), keysDir);
    }

    /**
     * A new key in {@code keysDir}, replacing any there: the old private and public files are kept beside it as
     * {@code *.retired-<millis>} so a rotation can be undone. Apps that ship the old public key refuse every model
     * signed by the new one until they get the new public key, so this is only ever done on an operator's request.
     */
    public static ModelSigningKey create(Path keysDir, SecureRandom random) throws IOException {
        java.nio.file.Files.createDirectories(keysDir);
        long now = System.currentTimeMillis();
        for (String name : new String[] {PRIVATE_FILE, PUBLIC_FILE}) {
            Path file = keysDir.resolve(name);
            if (java.nio.file.Files.exists(file)) {
                java.nio.file.Files.move(file, keysDir.resolve(name + ".retired-" + now));
            }
        }
        Ed25519KeyPair pair = Ed25519KeyPair.generate(random);
        KeyFiles.writePrivateKey(pair.privateKey(), keysDir.resolve(PRIVATE_FILE));
        return publish(pair, keysDir);
    }

    private static ModelSigningKey publish(Ed25519KeyPair pair, Path keysDir) throws IOException {
        Path publicFile = keysDir.resolve(PUBLIC_FILE).toAbsolutePath();
        // Rewritten every start so the distributed copy always matches the private key in use.
        KeyFiles.writePublicKey(pair.publicKey(), publicFile);
        return new ModelSigningKey(pair, publicFile);
    }

    public static ModelSigningKey loadOrCreate(Path keysDir) throws IOException {
        return loadOrCreate(keysDir, new SecureRandom());
    }

    /** @param random used only when the key is generated */
    public static ModelSigningKey loadOrCreate(Path keysDir, SecureRandom random) throws IOException {
        Ed25519KeyPair pair = KeyFiles.loadOrCreate(keysDir.resolve(PRIVATE_FILE), random);
        Path publicFile = keysDir.resolve(PUBLIC_FILE).toAbsolutePath();
        // Rewritten every start so the distributed copy always matches the private key in use.
        KeyFiles.writePublicKey(pair.publicKey(), publicFile);
        return new ModelSigningKey(pair, publicFile);
    }

    /** Base64 signature of model {@code version} whose weight file is {@code weightFile}. */
    public String sign(long version, byte[] weightFile) {
        return Base64.getEncoder().encodeToString(signer.sign(SignedMessages.model(version, weightFile)));
    }

    public Ed25519PublicKey publicKey() {
        return pair.publicKey();
    }

    /** PEM file of the public key, to distribute with apps. */
    public Path publicKeyFile() {
        return publicKeyFile;
    }
}
