package io.metafed.security.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Shamir t-of-n secret sharing of 32-byte secrets over GF(p), p = 2^256 + 297 (the least prime
 * above 2^256, so every 32-byte string is a field element). Share x-coordinates are client ids.
 *
 * <p>Why not Bouncy Castle's {@code org.bouncycastle.crypto.threshold}: it works over GF(2^8), so it
 * allows at most 255 shares, and secure aggregation at n = 500 needs 500.
 */
final class PrimeFieldShamir {
    static final BigInteger P = BigInteger.ONE.shiftLeft(256).add(BigInteger.valueOf(297));
    /** A share value, unsigned big-endian; p needs 257 bits. */
    static final int SHARE_BYTES = 33;
    static final int SECRET_BYTES = 32;

    private PrimeFieldShamir() {}

    /** Shares of {@code secret} at each x in {@code xs} (distinct, 1 ≤ x &lt; p); any t recover it. */
    static byte[][] split(byte[] secret, int t, int[] xs, SecureRandom random) {
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("secret: must be " + SECRET_BYTES + " bytes, got " + secret.length);
        }
        if (t < 1 || t > xs.length) {
            throw new IllegalArgumentException("t: must be in [1, " + xs.length + "], got " + t);
        }
        requireDistinctPositive(xs);
        BigInteger[] coeffs = new BigInteger[t];
        coeffs[0] = new BigInteger(1, secret);
        for (int i = 1; i < t; i++) {
            coeffs[i] = uniform(random);
        }
        byte[][] shares = new byte[xs.length][];
        for (int k = 0; k < xs.length; k++) {
            BigInteger x = BigInteger.valueOf(xs[k]);
            BigInteger y = coeffs[t - 1];
            for (int i = t - 2; i >= 0; i--) {
                y = y.multiply(x).add(coeffs[i]).mod(P); // Horner
            }
            shares[k] = toBytes(y);
        }
        return shares;
    }

    /**
     * λ_i = Π_{j≠i} x_j / (x_j − x_i) mod p: weights that interpolate the polynomial at 0.
     *
     * <p>SecAgg+ interpolates a different holder set for every client, so this is on the server's hot path: the
     * numerators come from prefix and suffix products, the denominators (products of small integers) are
     * accumulated in a long before touching BigInteger, and one modular inverse serves all t of them
     * (Montgomery's batch inversion), instead of t² modular products and t inverses.
     */
    static BigInteger[] lagrangeAtZero(int[] xs) {
        requireDistinctPositive(xs);
        int t = xs.length;
        BigInteger[] prefix = new BigInteger[t + 1];
        BigInteger[] suffix = new BigInteger[t + 1];
        prefix[0] = BigInteger.ONE;
        suffix[t] = BigInteger.ONE;
        for (int i = 0; i < t; i++) {
            prefix[i + 1] = prefix[i].multiply(BigInteger.valueOf(xs[i])).mod(P);
            suffix[t - 1 - i] = suffix[t - i].multiply(BigInteger.valueOf(xs[t - 1 - i])).mod(P);
        }
        BigInteger[] den = new BigInteger[t];
        for (int i = 0; i < t; i++) {
            den[i] = smallProduct(xs, i);
        }
        BigInteger[] inv = batchInverse(den);
        BigInteger[] lambda = new BigInteger[t];
        for (int i = 0; i < t; i++) {
            lambda[i] = prefix[i].multiply(suffix[i + 1]).mod(P).multiply(inv[i]).mod(P);
        }
        return lambda;
    }

    /** Π_{j≠i} (x_j − x_i) mod p; the factors (|x_j − x_i| &lt; 2^31, x ≥ 1) multiply in a long until it could overflow. */
    private static BigInteger smallProduct(int[] xs, int i) {
        BigInteger acc = BigInteger.ONE;
        long run = 1;
        for (int j = 0; j < xs.length; j++) {
            if (j == i) {
                continue;
            }
            long f = (long) xs[j] - xs[i];
            if (Math.abs(run) >= (1L << 31)) {
                acc = acc.multiply(BigInteger.valueOf(run)).mod(P);
                run = 1;
            }
            run *= f; // |run| < 2^31 and |f| < 2^31 here, so the product fits a long
        }
        return acc.multiply(BigInteger.valueOf(run)).mod(P);
    }

    /** The inverses mod p of non-zero a_i with one modInverse: a_i^−1 = (Π_{j<i} a_j)(Π_{j≤i} a_j)^−1. */
    private static BigInteger[] batchInverse(BigInteger[] a) {
        BigInteger[] running = new BigInteger[a.length + 1];
        running[0] = BigInteger.ONE;
        for (int i = 0; i < a.length; i++) {
            running[i + 1] = running[i].multiply(a[i]).mod(P);
        }
        BigInteger inv = running[a.length].modInverse(P);
        BigInteger[] out = new BigInteger[a.length];
        for (int i = a.length - 1; i >= 0; i--) {
            out[i] = inv.multiply(running[i]).mod(P);
            inv = inv.multiply(a[i]).mod(P);
        }
        return out;
    }

    /** The secret from shares {@code ys} taken at the x-coordinates that produced {@code lambda}. */
    static byte[] combine(BigInteger[] lambda, byte[][] ys) {
        if (ys.length != lambda.length) {
            throw new IllegalArgumentException("ys: need " + lambda.length + " shares, got " + ys.length);
        }
        BigInteger s = BigInteger.ZERO;
        for (int i = 0; i < ys.length; i++) {
            s = s.add(lambda[i].multiply(fromBytes(ys[i])));
        }
        s = s.mod(P);
        if (s.bitLength() > 8 * SECRET_BYTES) {
            throw new SecAggProtocolException("reconstructed value exceeds 32 bytes: shares are inconsistent");
        }
        byte[] out = new byte[SECRET_BYTES];
        byte[] mag = s.toByteArray();
        int copy = Math.min(mag.length, SECRET_BYTES);
        System.arraycopy(mag, mag.length - copy, out, SECRET_BYTES - copy, copy);
        return out;
    }

    static BigInteger fromBytes(byte[] share) {
        if (share.length != SHARE_BYTES) {
            throw new SecAggProtocolException("share: must be " + SHARE_BYTES + " bytes, got " + share.length);
        }
        BigInteger y = new BigInteger(1, share);
        if (y.compareTo(P) >= 0) {
            throw new SecAggProtocolException("share: value is not a field element (≥ p)");
        }
        return y;
    }

    private static byte[] toBytes(BigInteger y) {
        byte[] mag = y.toByteArray();
        byte[] out = new byte[SHARE_BYTES];
        int copy = Math.min(mag.length, SHARE_BYTES);
        System.arraycopy(mag, mag.length - copy, out, SHARE_BYTES - copy, copy);
        return out;
    }

    private static BigInteger uniform(SecureRandom random) {
        BigInteger r;
        do {
            r = new BigInteger(257, random); // rejection sampling: accepted with probability ≈ 1/2
        } while (r.compareTo(P) >= 0);
        return r;
    }

    private static void requireDistinctPositive(int[] xs) {
        int[] sorted = xs.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 1 || (i > 0 && sorted[i] == sorted[i - 1])) {
                throw new IllegalArgumentException("xs: must be distinct and ≥ 1, got " + Arrays.toString(xs));
            }
        }
    }
}
