package io.metafed.security.secagg;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the share pair (b_u share, s_u secret-key share) that u sends v through the server.
 *
 * <p>Associated data = label ‖ round id ‖ sender ‖ recipient. The pair key HKDF(X25519(c_u, c_v)) is
 * symmetric, so without the direction in the AD the server could reflect u's ciphertext back to u
 * or replay it in another round. Wire form: 12-byte random nonce ‖ ciphertext ‖ 16-byte tag; each
 * key encrypts two messages (one per direction), far below GCM's random-nonce limits.
 */
final class ShareCipher {
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    static final int PLAINTEXT_BYTES = 2 * PrimeFieldShamir.SHARE_BYTES;
    static final int CIPHERTEXT_BYTES = NONCE_BYTES + PLAINTEXT_BYTES + TAG_BITS / 8;

    private ShareCipher() {}

    static byte[] associatedData(long roundId, int from, int to) {
        return ByteBuffer.allocate(Kdf.PROTOCOL_LABEL.length + Long.BYTES + 2 * Integer.BYTES)
                .put(Kdf.PROTOCOL_LABEL).putLong(roundId).putInt(from).putInt(to).array();
    }

    static byte[] seal(byte[] key, byte[] selfMaskShare, byte[] keyShare, byte[] ad, SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = new byte[PLAINTEXT_BYTES];
        System.arraycopy(selfMaskShare, 0, plain, 0, PrimeFieldShamir.SHARE_BYTES);
        System.arraycopy(keyShare, 0, plain, PrimeFieldShamir.SHARE_BYTES, PrimeFieldShamir.SHARE_BYTES);
        byte[] out = new byte[CIPHERTEXT_BYTES];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        try {
            Cipher gcm = gcm(Cipher.ENCRYPT_MODE, key, nonce, ad);
            gcm.doFinal(plain, 0, plain.length, out, NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        return out;
    }

    /** Returns {b share, sk share}; throws SecAggProtocolException if authentication fails. */
    static byte[][] open(byte[] key, byte[] sealed, byte[] ad) {
        if (sealed.length != CIPHERTEXT_BYTES) {
            throw new SecAggProtocolException("ciphertext: must be " + CIPHERTEXT_BYTES + " bytes, got " + sealed.length);
        }
        byte[] plain;
        try {
            Cipher gcm = gcm(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE_BYTES), ad);
            plain = gcm.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SecAggProtocolException("AES-GCM authentication failed: share was altered, misaddressed or replayed", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
        return new byte[][] {
            Arrays.copyOfRange(plain, 0, PrimeFieldShamir.SHARE_BYTES),
            Arrays.copyOfRange(plain, PrimeFieldShamir.SHARE_BYTES, PLAINTEXT_BYTES)
        };
    }

    static Cipher gcm(int mode, byte[] key, byte[] nonce, byte[] ad) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        gcm.updateAAD(ad);
        return gcm;
    }
}
