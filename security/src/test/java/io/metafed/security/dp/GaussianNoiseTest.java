package io.metafed.security.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
    private static final int N = 200_000;
    /** Two-sided standard normal quantile for probability 1e-6: P(|Z| > 4.8916) = 1e-6. */
    private static final double Z_1E6 = 4.8916;

    /**
     * The production path (SecureRandom, not reproducible). For N iid N(0, σ²) draws, (N−1)s²/σ² ~ χ²(N−1), which
     * for N = 200 000 is normal to within 1e-3 relative in the tails: N(N−1, 2(N−1)). So |s²/σ² − 1| ≤
     * Z·√(2/(N−1)) fails with probability ≈ 1e-6, and the mean test |x̄| ≤ Z·σ/√N with 1e-6: this test fails
     * spuriously with probability about 2e-6 per run.
     */
    @Test
    void secureNoise_hasTheRequestedMeanAndVariance() {
        double sigma = 2.5;
        double[] x = new GaussianNoise(sigma).addTo(new double[N]);
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= N;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double variance = ss / (N - 1);
        assertEquals(0, mean, Z_1E6 * sigma / Math.sqrt(N), "sample mean");
        assertEquals(1, variance / (sigma * sigma), Z_1E6 * Math.sqrt(2.0 / (N - 1)), "sample variance / σ²");
    }

    /** Noise is independent per coordinate: adjacent draws are uncorrelated (|r| ≤ Z/√N, false failure 1e-6). */
    @Test
    void secureNoise_adjacentCoordinatesAreUncorrelated() {
        double[] x = new GaussianNoise(1).addTo(new double[N]);
        double sum = 0;
        for (int j = 1; j < N; j++) {
            sum += x[j] * x[j - 1];
        }
        assertEquals(0, sum / (N - 1), Z_1E6 / Math.sqrt(N - 1));
    }

    @Test
    void seededSource_isReproducible_andAddsToTheValues() {
        double[] a = new GaussianNoise(1, new SeededNoiseSource(5)).addTo(new double[] {10, 20});
        double[] b = new GaussianNoise(1, new SeededNoiseSource(5)).addTo(new double[] {0, 0});
        assertArrayEquals(new double[] {10 + b[0], 20 + b[1]}, a, 1e-12);
    }

    @Test
    void zeroSigma_addsNothingAndDrawsNothing() {
        double[] x = {1, -2};
        new GaussianNoise(0, () -> {
            throw new AssertionError("no draw expected");
        }).addTo(x);
        assertArrayEquals(new double[] {1, -2}, x, 0);
    }

    @Test
    void invalidSigma_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-1));
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(Double.POSITIVE_INFINITY));
    }
}
