package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrimeFieldShamirTest {
    private final SecureRandom random = TestRandomness.seeded(7);

    @Test
    void modulus_isPrimeAbove2To256() {
        assertTrue(PrimeFieldShamir.P.isProbablePrime(128)); // false-failure rate 0 (primes always pass)
        assertTrue(PrimeFieldShamir.P.compareTo(BigInteger.ONE.shiftLeft(256)) > 0);
    }

    @Test
    void combine_anyTSharesOf500_recoversSecret() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0xff); // the largest 32-byte secret
        int[] xs = IntStream.rangeClosed(1, 500).toArray();
        byte[][] shares = PrimeFieldShamir.split(secret, 251, xs, random);
        int[] pick = IntStream.rangeClosed(250, 500).toArray(); // a non-prefix subset of size t
        byte[][] ys = Arrays.stream(pick).mapToObj(x -> shares[x - 1]).toArray(byte[][]::new);
        assertArrayEquals(secret, PrimeFieldShamir.combine(PrimeFieldShamir.lagrangeAtZero(pick), ys));
    }

    @Test
    void combine_tMinusOneShares_doesNotRecoverSecret() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        int[] xs = IntStream.rangeClosed(1, 10).toArray();
        byte[][] shares = PrimeFieldShamir.split(secret, 5, xs, random);
        int[] pick = {1, 2, 3, 4};
        byte[][] ys = Arrays.stream(pick).mapToObj(x -> shares[x - 1]).toArray(byte[][]::new);
        // Interpolating a degree-4 polynomial from 4 points hits the secret with probability 1/p ≈ 2^-256
        // (and the 32-byte range check throws about half the time): either way, no secret.
        try {
            assertFalse(Arrays.equals(secret, PrimeFieldShamir.combine(PrimeFieldShamir.lagrangeAtZero(pick), ys)));
        } catch (SecAggProtocolException expected) {
            // value ≥ 2^256: not a secret at all
        }
    }

    @Test
    void lagrangeAtZero_matchesTheDefinitionOnScatteredLargeXs() {
        // Ids up to 2^31 − 1 exercise the long accumulation of the denominators and its flush to BigInteger.
        int[] xs = {1, 2, 500, 77_777, 1_000_003, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 123_456_789, 3};
        BigInteger[] fast = PrimeFieldShamir.lagrangeAtZero(xs);
        for (int i = 0; i < xs.length; i++) {
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            for (int j = 0; j < xs.length; j++) {
                if (j != i) {
                    num = num.multiply(BigInteger.valueOf(xs[j]));
                    den = den.multiply(BigInteger.valueOf((long) xs[j] - xs[i]));
                }
            }
            BigInteger expected = num.mod(PrimeFieldShamir.P).multiply(den.mod(PrimeFieldShamir.P).modInverse(PrimeFieldShamir.P))
                    .mod(PrimeFieldShamir.P);
            assertTrue(expected.equals(fast[i]), "lambda[" + i + "]");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        byte[][] shares = PrimeFieldShamir.split(secret, xs.length, xs, random);
        assertArrayEquals(secret, PrimeFieldShamir.combine(fast, shares));
    }

    @Test
    void split_duplicateOrZeroX_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> PrimeFieldShamir.split(new byte[32], 2, new int[] {1, 1, 2}, random));
        assertThrows(IllegalArgumentException.class, () -> PrimeFieldShamir.split(new byte[32], 2, new int[] {0, 1, 2}, random));
        assertThrows(IllegalArgumentException.class, () -> PrimeFieldShamir.split(new byte[32], 4, new int[] {1, 2, 3}, random));
    }
}
