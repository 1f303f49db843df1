package io.metafed.model.protocol;

import io.metafed.model.Hex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The exact bytes the coordinator and devices sign, defined once so signer and verifier cannot drift apart
 * (docs/PROTOCOL.md, "Authentication"). Each starts with a distinct context string, so a signature made for
 * one purpose can never be accepted for another.
 */
public final class SignedMessages {
    /** Domain separation for model signatures, followed by a NUL. */
    public static final String MODEL_CONTEXT = "metafed-model-v1";
    /** First line of a canonical request. */
    public static final String REQUEST_CONTEXT = "metafed-request-v1";

    private SignedMessages() {
    }

    /**
     * What the model-signing key signs for version {@code version} of a published model:
     * {@code "metafed-model-v1" ‖ 0x00 ‖ version (8 bytes, big-endian) ‖ SHA-256(weight-file bytes)}. Hashing
     * the file keeps the signed message small and lets a device verify while streaming.
     */
    public static byte[] model(long version, byte[] weightFile) {
        Objects.requireNonNull(weightFile, "weightFile");
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, found " + version);
        }
        byte[] context = MODEL_CONTEXT.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(context.length + 1 + 8 + 32).put(context).put((byte) 0).putLong(version)
                .put(sha256(weightFile)).array();
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Lower-case hex of SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        return Hex.of(sha256(bytes));
    }
}
