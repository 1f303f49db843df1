package io.metafed.security.secagg;

import static io.metafed.security.secagg.TestRandomness.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.junit.jupiter.api.Test;

/** Known-answer tests for every primitive the protocol relies on, through the code paths it uses. */
class CryptoKnownAnswerTest {
    private static byte[] x25519(String scalar, String u) {
        byte[] out = new byte[32];
        new X25519PrivateKeyParameters(hex(scalar)).generateSecret(new X25519PublicKeyParameters(hex(u)), out, 0);
        return out;
    }

    @Test
    void x25519_rfc7748Section5_2Vectors_match() {
        assertArrayEquals(hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
                x25519("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        assertArrayEquals(hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
                x25519("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));
    }

    @Test
    void x25519_rfc7748Section6_1DiffieHellman_matchesBothWays() {
        String alice = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
        String bob = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
        String alicePub = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
        String bobPub = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
        assertArrayEquals(hex(alicePub), new X25519PrivateKeyParameters(hex(alice)).generatePublicKey().getEncoded());
        assertArrayEquals(hex(bobPub), new X25519PrivateKeyParameters(hex(bob)).generatePublicKey().getEncoded());
        byte[] shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(shared, x25519(alice, bobPub));
        assertArrayEquals(shared, x25519(bob, alicePub));
    }

    @Test
    void hkdfSha256_rfc5869TestCase1_matches() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] okm = Kdf.hkdfSha256(ikm, hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertArrayEquals(hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"), okm);
    }

    @Test
    void aesGcm_mcGrewViegaTestCase16_matches() throws Exception {
        byte[] key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] plain = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] expected = hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");
        Cipher gcm = ShareCipher.gcm(Cipher.ENCRYPT_MODE, key, hex("cafebabefacedbaddecaf888"),
                hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"));
        assertArrayEquals(expected, gcm.doFinal(plain));
    }

    @Test
    void maskPrg_sameSeed_sameStreamAndMatchesRawAesCtr() throws Exception {
        byte[] seed = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        int[] a = MaskPrg.expand(seed, 5000); // crosses 4 KiB chunk boundaries
        assertArrayEquals(a, MaskPrg.expand(seed, 5000));
        // Prefix-consistent: a shorter expansion is a prefix of a longer one.
        assertArrayEquals(Arrays.copyOf(a, 1500), MaskPrg.expand(seed, 1500));
        // Word 0 is the first AES-256 block of E_seed(0^128), little-endian.
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(seed, "AES"));
        byte[] block = ecb.doFinal(new byte[16]);
        assertEquals((block[0] & 0xff) | (block[1] & 0xff) << 8 | (block[2] & 0xff) << 16 | (block[3] & 0xff) << 24, a[0]);
        seed[0] ^= 1;
        assertFalse(Arrays.equals(a, MaskPrg.expand(seed, 5000)));
    }

    @Test
    void maskPrg_subtractAfterAdd_restoresInput() {
        byte[] seed = new byte[32];
        int[] x = {1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0};
        int[] y = x.clone();
        MaskPrg.addMask(seed, y, false);
        MaskPrg.addMask(seed, y, true);
        assertArrayEquals(x, y);
    }
}
