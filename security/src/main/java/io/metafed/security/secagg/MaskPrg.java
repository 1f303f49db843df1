package io.metafed.security.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mask generator: AES-256-CTR keyed by a 32-byte seed, zero IV, read as little-endian 32-bit words.
 *
 * <p>A zero IV is safe because every seed (self-mask b_u or pairwise s_uv) is fresh per round and
 * keys exactly one stream. The JDK's intrinsic AES-CTR fed 4 KiB chunks is the fastest expander on
 * the JVM (several GB/s with AES-NI), and mask expansion dominates both client and server cost.
 */
final class MaskPrg {
    static final int SEED_BYTES = 32;
    private static final int CHUNK_BYTES = 4096;
    private static final int CHUNK_WORDS = CHUNK_BYTES / Integer.BYTES;

    private MaskPrg() {}

    /** Adds (or subtracts) PRG(seed) to {@code acc} coordinate-wise mod 2^32. */
    static void addMask(byte[] seed, int[] acc, boolean subtract) {
        Cipher ctr = keystream(seed);
        byte[] zeros = new byte[CHUNK_BYTES];
        byte[] stream = new byte[CHUNK_BYTES];
        // An int view of the chunk rather than a VarHandle, which Android lacks before API 33.
        IntBuffer words32 = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        for (int off = 0; off < acc.length; off += CHUNK_WORDS) {
            int words = Math.min(CHUNK_WORDS, acc.length - off);
            update(ctr, zeros, words * Integer.BYTES, stream);
            if (subtract) {
                for (int i = 0; i < words; i++) {
                    acc[off + i] -= words32.get(i);
                }
            } else {
                for (int i = 0; i < words; i++) {
                    acc[off + i] += words32.get(i);
                }
            }
        }
    }

    /** PRG(seed) as {@code length} words; used by tests and for clarity, not on the hot path. */
    static int[] expand(byte[] seed, int length) {
        int[] out = new int[length];
        addMask(seed, out, false);
        return out;
    }

    private static Cipher keystream(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("seed: must be " + SEED_BYTES + " bytes, got " + seed.length);
        }
        try {
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
            return ctr;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR/NoPadding unavailable in this JDK", e);
        }
    }

    private static void update(Cipher ctr, byte[] in, int len, byte[] out) {
        try {
            int produced = ctr.update(in, 0, len, out, 0);
            if (produced != len) {
                throw new IllegalStateException("AES-CTR produced " + produced + " bytes, expected " + len);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR update failed", e);
        }
    }
}
