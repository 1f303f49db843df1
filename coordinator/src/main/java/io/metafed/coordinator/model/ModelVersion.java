package io.metafed.coordinator.model;

import io.metafed.model.nn.ParamVector;
import java.util.Objects;

/**
 * One immutable global model θ: version 0 is the initial model and every successful round adds one. The
 * parameters are an immutable {@link ParamVector}, so a holder can share a {@code ModelVersion} (and hand its
 * θ to rounds and clients) across threads without copying; {@link #params()} still returns a copy.
 *
 * @param round the round that produced it, −1 for the initial model; always equal to {@code provenance.round()}
 */
public record ModelVersion(long version, int round, ParamVector vector, Provenance provenance) {

    public ModelVersion {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, found " + version);
        }
        Objects.requireNonNull(vector, "params");
        Objects.requireNonNull(provenance, "provenance");
        if (round != provenance.round()) {
            throw new IllegalArgumentException(
                    "round must equal provenance.round() " + provenance.round() + ", found " + round);
        }
        if (vector.size() == 0) {
            throw new IllegalArgumentException("params must not be empty");
        }
        vector.requireFinite("params");
    }

    /** A version over a copy of {@code params}. */
    public ModelVersion(long version, int round, float[] params, Provenance provenance) {
        this(version, round, ParamVector.copyOf(Objects.requireNonNull(params, "params")), provenance);
    }

    /** A copy of θ; {@link #vector()} reads it without one. */
    public float[] params() {
        return vector.toArray();
    }

    public int size() {
        return vector.size();
    }

    public long layoutId() {
        return provenance.layoutId();
    }

    @Override
    public String toString() {
        return "ModelVersion[version=" + version + ", round=" + round + ", params=float[" + vector.size()
                + "], layoutId=" + Long.toHexString(provenance.layoutId()) + "]";
    }
}
