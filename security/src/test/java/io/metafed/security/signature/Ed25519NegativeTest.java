package io.metafed.security.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Tampering of message, signature and key is refused; malformed inputs are rejected with clear messages. */
class Ed25519NegativeTest {
    private static final byte[] MESSAGE = "metafed model v7".getBytes(StandardCharsets.UTF_8);
    private final Ed25519KeyPair pair = Ed25519KeyPair.generate(seeded(1));
    private final Ed25519Verifier verifier = new Ed25519Verifier(pair.publicKey());

    static SecureRandom seeded(int seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void verify_untouchedMessage_accepts() {
        assertTrue(verifier.verify(MESSAGE, pair.sign(MESSAGE)));
    }

    @Test
    void verify_anyMessageBitFlipped_refuses() {
        byte[] sig = pair.sign(MESSAGE);
        for (int bit = 0; bit < MESSAGE.length * 8; bit++) {
            byte[] tampered = MESSAGE.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(verifier.verify(tampered, sig), "message bit " + bit);
        }
    }

    @Test
    void verify_anySignatureBitFlipped_refuses() {
        byte[] sig = pair.sign(MESSAGE);
        for (int bit = 0; bit < sig.length * 8; bit++) {
            byte[] tampered = sig.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(verifier.verify(MESSAGE, tampered), "signature bit " + bit);
        }
    }

    @Test
    void verify_wrongLengthOrNullSignature_refuses() {
        byte[] sig = pair.sign(MESSAGE);
        assertFalse(verifier.verify(MESSAGE, Arrays.copyOf(sig, 63)));
        assertFalse(verifier.verify(MESSAGE, Arrays.copyOf(sig, 65)));
        assertFalse(verifier.verify(MESSAGE, new byte[0]));
        assertFalse(verifier.verify(MESSAGE, null));
    }

    @Test
    void verify_otherKey_refuses() {
        Ed25519KeyPair other = Ed25519KeyPair.generate(seeded(2));
        assertFalse(new Ed25519Verifier(other.publicKey()).verify(MESSAGE, pair.sign(MESSAGE)));
    }

    @Test
    void keys_wrongLength_rejectedWithLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ed25519PublicKey.fromRaw(new byte[31]));
        assertTrue(e.getMessage().contains("32 raw bytes, found 31 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ed25519PrivateKey.fromRaw(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.fromBase64("AAAA"));
        assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.fromBase64("not base64!"));
    }

    @Test
    void keyPair_mismatchedKeys_rejected() {
        Ed25519KeyPair other = Ed25519KeyPair.generate(seeded(3));
        assertThrows(IllegalArgumentException.class, () -> new Ed25519KeyPair(pair.privateKey(), other.publicKey()));
    }

    @Test
    void textForms_roundTrip_sameKeys() {
        assertEquals(pair.publicKey(), Ed25519PublicKey.fromBase64(pair.publicKey().toBase64()));
        assertEquals(pair.publicKey(), Ed25519PublicKey.fromPem(pair.publicKey().toPem()));
        assertEquals(pair.publicKey(), Ed25519PublicKey.fromText(pair.publicKey().toPem()));
        Ed25519PrivateKey back = Ed25519PrivateKey.fromPem(pair.privateKey().toPem());
        assertTrue(Arrays.equals(pair.privateKey().raw(), back.raw()));
        assertTrue(pair.publicKey().toPem().startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertTrue(pair.privateKey().toPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertFalse(pair.privateKey().toString().contains(pair.privateKey().toPem()));
    }

    @Test
    void fromPem_wrongBlockType_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ed25519PublicKey.fromPem(pair.privateKey().toPem()));
        assertTrue(e.getMessage().contains("another block type"), e.getMessage());
    }

    @Test
    void generate_defaultRandom_distinctKeys() {
        assertNotEquals(Ed25519KeyPair.generate().publicKey(), Ed25519KeyPair.generate().publicKey());
    }
}
