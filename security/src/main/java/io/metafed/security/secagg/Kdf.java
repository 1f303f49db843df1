package io.metafed.security.secagg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * X25519 agreement followed by HKDF-SHA256, with the round id as salt and a purpose label as info,
 * so the share-encryption key and the pairwise mask seed of one pair, and the same pair across
 * rounds, are independent.
 */
final class Kdf {
    static final int KEY_BYTES = 32;
    static final byte[] PROTOCOL_LABEL = "metafed-secagg/v1".getBytes(StandardCharsets.US_ASCII);
    static final String SHARE_KEY = "share-key";
    static final String MASK_SEED = "pair-mask-seed";

    private Kdf() {}

    static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }

    /**
     * HKDF(X25519(mine, theirs)) for {@code purpose}. BC throws IllegalStateException for an
     * all-zero shared secret (a low-order peer key); we rethrow it naming the cause.
     */
    static byte[] agree(X25519PrivateKeyParameters mine, byte[] theirPublic, long roundId, String purpose) {
        byte[] shared = new byte[X25519PrivateKeyParameters.SECRET_SIZE];
        try {
            mine.generateSecret(new X25519PublicKeyParameters(theirPublic, 0), shared, 0);
        } catch (IllegalStateException e) {
            throw new SecAggProtocolException("X25519 agreement gave the all-zero secret: peer key has low order", e);
        }
        byte[] info = ByteBuffer.allocate(PROTOCOL_LABEL.length + 1 + purpose.length())
                .put(PROTOCOL_LABEL).put((byte) '/').put(purpose.getBytes(StandardCharsets.US_ASCII)).array();
        return hkdfSha256(shared, roundSalt(roundId), info, KEY_BYTES);
    }

    static byte[] roundSalt(long roundId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(roundId).array();
    }
}
