package io.metafed.security.signature;

import io.metafed.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ed25519 keys as PEM files. Private keys are created owner-read/write only (0600, where the file system has
 * POSIX permissions) from the first byte, so the secret is never briefly world-readable; every write goes to a
 * temporary sibling and is renamed into place, so a crash leaves the old key or the new one, never half a key.
 */
public final class KeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);

    private KeyFiles() {
    }

    /**
     * The key pair in {@code privateKeyFile}, generated with {@code random} and written there first if the file
     * does not exist. Not safe against two processes creating the same file at once; callers own their file.
     */
    public static Ed25519KeyPair loadOrCreate(Path privateKeyFile, SecureRandom random) throws IOException {
        Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        if (Files.exists(privateKeyFile)) {
            return readKeyPair(privateKeyFile);
        }
        Ed25519KeyPair pair = Ed25519KeyPair.generate(random);
        writePrivateKey(pair.privateKey(), privateKeyFile);
        LOG.info("Generated Ed25519 key {} in {}", pair.publicKey().fingerprint(), privateKeyFile);
        return pair;
    }

    public static Ed25519KeyPair readKeyPair(Path privateKeyFile) throws IOException {
        String pem = new String(Files.readAllBytes(privateKeyFile), StandardCharsets.US_ASCII);
        try {
            return Ed25519KeyPair.of(Ed25519PrivateKey.fromPem(pem));
        } catch (IllegalArgumentException e) {
            throw new IOException(privateKeyFile + ": " + e.getMessage(), e);
        }
    }

    /** A PEM {@code PUBLIC KEY} or bare base64 of the raw key. */
    public static Ed25519PublicKey readPublicKey(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII); // readString: Java 11
        try {
            return Ed25519PublicKey.fromText(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static void writePrivateKey(Ed25519PrivateKey key, Path file) throws IOException {
        AtomicFiles.writeSecret(file, key.toPem().getBytes(StandardCharsets.US_ASCII));
    }

    public static void writePublicKey(Ed25519PublicKey key, Path file) throws IOException {
        AtomicFiles.write(file, key.toPem().getBytes(StandardCharsets.US_ASCII));
    }

}
