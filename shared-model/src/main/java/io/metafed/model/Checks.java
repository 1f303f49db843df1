package io.metafed.model;

/**
 * Argument checks shared by every value type: each message names the parameter, the rule and the value,
 * and each check returns its argument so it can be used inline in constructors.
 */
public final class Checks {
    private Checks() {
    }

    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, found " + value);
        }
        return value;
    }

    public static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, found " + value);
        }
        return value;
    }

    public static double positive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, found " + value);
        }
        return value;
    }

    public static double finite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, found " + value);
        }
        return value;
    }

    public static double inRange(double value, double min, double max, String name) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], found " + value);
        }
        return value;
    }

    public static int inRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], found " + value);
        }
        return value;
    }

    public static void length(float[] array, int expected, String name) {
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " must have length " + expected + ", found " + array.length);
        }
    }

    /** Rejects NaN and infinities; names the first offending index. */
    public static void allFinite(float[] array, String name) {
        allFinite(array, 0, array.length, name);
    }

    /** As {@link #allFinite(float[], String)} over [from, to) only. */
    public static void allFinite(float[] array, int from, int to, String name) {
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(array[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, found " + array[i]);
            }
        }
    }
}
