package io.metafed.security.dp;

/**
 * One step's RDP of the Poisson-subsampled Gaussian mechanism with sensitivity 1 and noise N(0, z²): the
 * formulas of Mironov, Talwar and Zhang (2019), §3.3, as implemented by TensorFlow Privacy's rdp_accountant.
 */
final class SampledGaussian {
    /** Series terms below e^−30 relative to 1 no longer change A_α at double precision in practice. */
    private static final double NEGLIGIBLE_LOG_TERM = -30;
    private static final int MAX_SERIES_TERMS = 1_000_000;

    private SampledGaussian() {
    }

    /** ε(α) of one step: 0 when q = 0, +∞ when z = 0, α/(2z²) when q = 1, else log A_α / (α − 1). */
    static double rdp(double q, double z, double alpha) {
        DpPreconditions.closedUnit(q, "samplingRate");
        DpPreconditions.nonNegativeFinite(z, "noiseMultiplier");
        if (q == 0) {
            return 0;
        }
        if (z == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return alpha / (2 * z * z);
        }
        double logA = alpha == Math.rint(alpha) ? logAInteger(q, z, (int) alpha) : logAFractional(q, z, alpha);
        return logA / (alpha - 1);
    }

    /** log A_α = log Σ_{k=0}^{α} C(α,k) q^k (1−q)^(α−k) exp((k² − k)/(2z²)). */
    static double logAInteger(double q, double z, int alpha) {
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double logBinom = 0; // log C(α, 0)
        double logA = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= alpha; k++) {
            double term = logBinom + k * logQ + (alpha - k) * log1mQ + (k * (double) k - k) / (2 * z * z);
            logA = LogMath.logAdd(logA, term);
            logBinom += Math.log(alpha - k) - Math.log(k + 1.0);
        }
        return logA;
    }

    /**
     * log A_α for fractional α: A_α = A₀ + A₁ with, for i = 0, 1, 2, … and j = α − i, z₀ = z² log(1/q − 1) + ½,
     * A₀ = Σ C(α,i) q^i (1−q)^j exp((i² − i)/(2z²)) · ½ erfc((i − z₀)/(√2 z)) and
     * A₁ = Σ C(α,i) q^j (1−q)^i exp((j² − j)/(2z²)) · ½ erfc((z₀ − j)/(√2 z)). The generalized binomial C(α,i)
     * changes sign for i > α, so each series is kept as a log-magnitude with signed log-space updates.
     */
    static double logAFractional(double q, double z, double alpha) {
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double z0 = z * z * Math.log(1 / q - 1) + 0.5;
        double sqrt2z = Math.sqrt(2) * z;
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double logAbsBinom = 0;
        boolean positive = true;
        for (int i = 0; i < MAX_SERIES_TERMS; i++) {
            double j = alpha - i;
            double logT0 = logAbsBinom + i * logQ + j * log1mQ;
            double logT1 = logAbsBinom + j * logQ + i * log1mQ;
            double logE0 = Math.log(0.5) + LogMath.logErfc((i - z0) / sqrt2z);
            double logE1 = Math.log(0.5) + LogMath.logErfc((z0 - j) / sqrt2z);
            double logS0 = logT0 + (i * (double) i - i) / (2 * z * z) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * z * z) + logE1;
            if (positive) {
                logA0 = LogMath.logAdd(logA0, logS0);
                logA1 = LogMath.logAdd(logA1, logS1);
            } else {
                logA0 = LogMath.logSub(logA0, logS0);
                logA1 = LogMath.logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < NEGLIGIBLE_LOG_TERM) {
                return LogMath.logAdd(logA0, logA1);
            }
            // C(α, i+1) = C(α, i) · (α − i)/(i + 1); the factor is negative once i > α.
            logAbsBinom += Math.log(Math.abs(alpha - i)) - Math.log(i + 1.0);
            positive ^= alpha - i < 0;
        }
        throw new ArithmeticException("RDP series did not converge in " + MAX_SERIES_TERMS + " terms for q=" + q
                + ", z=" + z + ", alpha=" + alpha);
    }
}
