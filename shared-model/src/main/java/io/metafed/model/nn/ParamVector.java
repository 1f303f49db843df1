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
 */
public final class ParamVector {
    private final float[] values;

    private ParamVector(float[] values) {
        this.values = values;
    }

    /** A vector holding a copy of {@code values}; later writes to {@code values} do not show in it. */
    public static ParamVector copyOf(float[] values) {
        return new ParamVector(Objects.requireNonNull(values, "values").clone());
    }

    /**
     * A vector over {@code values} itself, without a copy. The caller hands the array over: neither it nor anyone
     * it shared the array with may write it afterwards.
     */
    public static ParamVector adopt(float[] values) {
        return new ParamVector(Objects.requireNonNull(values, "values"));
    }

    public int size() {
        return values.length;
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
        Checks.allFinite(values, name);
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
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
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
