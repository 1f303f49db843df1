package io.metafed.security.dp;

/**
 * Log-space arithmetic for the accountant, whose terms range over hundreds of orders of magnitude.
 * −∞ represents 0.
 */
final class LogMath {
    private LogMath() {
    }

    /** log(eᵃ + eᵇ). */
    static double logAdd(double a, double b) {
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        if (lo == Double.NEGATIVE_INFINITY) {
            return hi;
        }
        return hi + Math.log1p(Math.exp(lo - hi));
    }

    /**
     * log(eᵃ − eᵇ) for a ≥ b. a = b gives −∞ (zero); a < b is a negative number, which has no logarithm.
     */
    static double logSub(double a, double b) {
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        if (a < b) {
            throw new ArithmeticException("logSub of a negative difference: a=" + a + " < b=" + b);
        }
        if (a == b) {
            return Double.NEGATIVE_INFINITY;
        }
        // log(eᵃ − eᵇ) = a + log(1 − e^(b−a)) = a + log(−expm1(b − a)), accurate when b ≈ a.
        return a + Math.log(-Math.expm1(b - a));
    }

    /**
     * log(erfc(x)). For x ≥ 0 uses the Chebyshev fit of Numerical Recipes (Press et al., 3rd ed., §6.2.2,
     * "erfcc"), whose relative error is below 1.2e-7 everywhere; because the fit is already of the form
     * t·exp(poly(t) − x²), its logarithm is taken term by term and stays accurate for large x where erfc(x)
     * itself underflows. For x < 0, erfc(x) = 2 − erfc(−x) ∈ (1, 2] is computed directly.
     */
    static double logErfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            return Math.log(2 - Math.exp(logErfc(-x)));
        }
        double t = 1 / (1 + 0.5 * x);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        return Math.log(t) - x * x + poly;
    }
}
