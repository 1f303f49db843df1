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
 * The coordinator's long-lived model-signing key: generated into {@code <data-dir>/keys/} on first start
 * ({@value #PRIVATE_FILE}, mode 0600) and reused afterwards, so devices that ship with the public key
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
