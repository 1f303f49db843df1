package io.metafed.security.dp;

/**
 * Argument checks of the privacy primitives. Each message names the parameter, the rule and the value found;
 * each check returns its argument so it can be used inline. A NaN never passes: every comparison is written so
 * that NaN falls into the failing branch.
 */
final class DpPreconditions {
    private DpPreconditions() {
    }

    /** A standard deviation, norm bound or multiplier: ≥ 0 and finite. */
    static double nonNegativeFinite(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, found " + value);
        }
        return value;
    }

    /** An L2 bound: > 0, possibly +∞ (no clipping). */
    static double positiveOrInfinite(double value, String name) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be > 0 (or +Infinity), found " + value);
        }
        return value;
    }

    /** A probability that may be 0 or 1, e.g. a sampling rate. */
    static double closedUnit(double value, String name) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], found " + value);
        }
        return value;
    }

    /** δ of (ε, δ)-DP: strictly between 0 and 1, since δ = 0 makes every RDP conversion infinite. */
    static double openUnit(double value, String name) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), found " + value);
        }
        return value;
    }

    /** A target ε: > 0, possibly +∞ (no target). */
    static double positiveEpsilon(double value, String name) {
        return positiveOrInfinite(value, name);
    }

    static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, found " + value);
        }
        return value;
    }

    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }
}
