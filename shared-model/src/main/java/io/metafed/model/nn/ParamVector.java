package io.metafed.model.nn;

import io.metafed.model.Checks;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable flat parameter vector (θ, Δ = φ − θ, an aggregate): what the carriers of a round hand to each other
 * instead of a {@code float[]} each of them must clone to stay safe. Readers see it only through {@link #get},
 * bulk copies into arrays they own ({@link #copyTo}, {@link #toArray}) and a read-only {@link #buffer()} view, so
 * one vector can be shared by every holder and thread without a copy per hand-off.
 * <p>
 * Two ways in: {@link #copyOf} copies the array (the caller keeps it and may change it); {@link #adopt} takes the
 * array over without a copy, for a producer that has just computed it and drops it, e.g. Δ of a client or the
 * aggregate of a round. After {@code adopt(a)} nothing may write {@code a} again: the vector would change under
 * every holder. Equality is by content, so records holding a vector compare their parameters.
 * <p>
 * A vector may also know its {@link Support}, the ranges outside which it is zero ({@link #adoptSparse}): a
 * collaborative client's Δ touches a few thousand of θ's entries, and the passes every update goes through (its
 * norm, its finiteness, its weighted sum into the round's aggregate) then run over those only. The values are still
 * all there, so every other reader is unchanged.
 */
public final class ParamVector {
    private final float[] values;
    /** Null: every entry may be nonzero. */
    private final Support support;

    private ParamVector(float[] values, Support support) {
        this.values = values;
        this.support = support;
    }

    /** A vector holding a copy of {@code values}; later writes to {@code values} do not show in it. */
    public static ParamVector copyOf(float[] values) {
        return new ParamVector(Objects.requireNonNull(values, "values").clone(), null);
    }

    /**
     * A vector over {@code values} itself, without a copy. The caller hands the array over: neither it nor anyone
     * it shared the array with may write it afterwards.
     */
    public static ParamVector adopt(float[] values) {
        return new ParamVector(Objects.requireNonNull(values, "values"), null);
    }

    /**
     * As {@link #adopt}, for a producer that wrote Δ only within {@code support}: every entry outside it is set to
     * +0 here, so the vector is zero there whatever the array held (e.g. φ = θ where training did not reach), and
     * the norm, the finiteness check and {@link #addScaledTo} can skip those entries with the same result to the bit.
     *
     * @throws IllegalArgumentException when the support is not of a vector of {@code values.length} entries
     */
    public static ParamVector adoptSparse(float[] values, Support support) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(support, "support");
        if (support.size() != values.length) {
            throw new IllegalArgumentException("support must be of a vector of " + values.length + " entries, found "
                    + support.size());
        }
        if (support.isAll()) {
            return new ParamVector(values, null);
        }
        int from = 0;
        for (int r = 0; r < support.ranges(); r++) {
            Arrays.fill(values, from, support.start(r), 0f);
            from = support.end(r);
        }
        Arrays.fill(values, from, values.length, 0f);
        return new ParamVector(values, support);
    }

    public int size() {
        return values.length;
    }

    /** Where this vector may be nonzero: {@link Support#all} unless it was made by {@link #adoptSparse}. */
    public Support support() {
        return support != null ? support : Support.all(values.length);
    }

    /** @throws ArrayIndexOutOfBoundsException when {@code i} is not in [0, size) */
    public float get(int i) {
        return values[i];
    }

    /** Copies the whole vector into {@code dst} from {@code offset} on. */
    public void copyTo(float[] dst, int offset) {
        System.arraycopy(values, 0, dst, offset, values.length);
    }

    /** A new array with the whole vector, which the caller owns (e.g. to train φ from θ). */
    public float[] toArray() {
        return values.clone();
    }

    /** A new array with elements [from, to), like {@link Arrays#copyOfRange(float[], int, int)} within the vector. */
    public float[] toArray(int from, int to) {
        if (from < 0 || to > values.length || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") must lie within [0, "
                    + values.length + "]");
        }
        return Arrays.copyOfRange(values, from, to);
    }

    /**
     * A read-only view (position 0, limit {@link #size()}); each call returns a new view with its own position.
     * Typed as {@link FloatBuffer} on purpose: {@code asReadOnlyBuffer()}'s covariant returns are missing before
     * Android API 34.
     */
    public FloatBuffer buffer() {
        return FloatBuffer.wrap(values).asReadOnlyBuffer();
    }

    /** @throws IllegalArgumentException naming {@code name}, the first offending index and its value */
    public ParamVector requireFinite(String name) {
        if (support == null) {
            Checks.allFinite(values, name);
        } else {
            for (int r = 0; r < support.ranges(); r++) {
                Checks.allFinite(values, support.start(r), support.end(r), name);
            }
        }
        return this;
    }

    /** @throws IllegalArgumentException naming {@code name}, expected and found, when the size is not {@code size} */
    public ParamVector requireSize(int size, String name) {
        Checks.length(values, size, name);
        return this;
    }

    /**
     * ‖x‖₂ accumulated in double, as {@code L2Clipper.norm(float[])} computes it (NaN or infinite elements give a
     * non-finite norm).
     */
    public double norm() {
        if (support == null) {
            double sum = 0;
            for (float v : values) {
                sum += (double) v * v;
            }
            return Math.sqrt(sum);
        }
        // The squares outside the support are +0, and adding +0 to a sum of squares (never -0) leaves it unchanged.
        double sum = 0;
        for (int r = 0; r < support.ranges(); r++) {
            for (int i = support.start(r); i < support.end(r); i++) {
                sum += (double) values[i] * values[i];
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * {@code sum[j] += weight · x[j]} in double for every j, skipping the entries outside the support: there x[j]
     * is ±0, and adding weight · ±0 (±0 for a finite weight) to a sum that starts at +0 leaves it unchanged, since
     * such a sum is never −0 (IEEE addition of opposite-signed equal values gives +0). A non-finite weight takes
     * the dense pass, whose ∞ · 0 is NaN.
     *
     * @throws IllegalArgumentException when {@code sum} is not of this vector's size
     */
    public void addScaledTo(double[] sum, double weight) {
        if (sum.length != values.length) {
            throw new IllegalArgumentException("sum must have length " + values.length + ", found " + sum.length);
        }
        if (support == null || !Double.isFinite(weight)) {
            addScaled(sum, weight, 0, values.length);
            return;
        }
        for (int r = 0; r < support.ranges(); r++) {
            addScaled(sum, weight, support.start(r), support.end(r));
        }
    }

    private void addScaled(double[] sum, double weight, int from, int to) {
        for (int j = from; j < to; j++) {
            sum[j] += weight * values[j];
        }
    }

    /** Whether both vectors hold the same floats ({@link Arrays#equals(float[], float[])}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ParamVector v && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ParamVector[" + values.length + " floats]";
    }
}
