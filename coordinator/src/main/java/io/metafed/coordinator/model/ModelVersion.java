package io.metafed.coordinator.model;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * One immutable global model θ: version 0 is the initial model and every successful round adds one. The
 * parameters are copied in and out, so a holder can share a {@code ModelVersion} across threads freely.
 *
 * @param round the round that produced it, −1 for the initial model; always equal to {@code provenance.round()}
 */
public record ModelVersion(long version, int round, float[] params, Provenance provenance) {

    public ModelVersion {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, found " + version);
        }
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(provenance, "provenance");
        if (round != provenance.round()) {
            throw new IllegalArgumentException(
                    "round must equal provenance.round() " + provenance.round() + ", found " + round);
        }
        if (params.length == 0) {
            throw new IllegalArgumentException("params must not be empty");
        }
        Checks.allFinite(params, "params");
        params = params.clone();
    }

    @Override
    public float[] params() {
        return params.clone();
    }

    public int size() {
        return params.length;
    }

    public long layoutId() {
        return provenance.layoutId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelVersion m && version == m.version && round == m.round
                && Arrays.equals(params, m.params) && provenance.equals(m.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, round, Arrays.hashCode(params), provenance);
    }

    @Override
    public String toString() {
        return "ModelVersion[version=" + version + ", round=" + round + ", params=float[" + params.length
                + "], layoutId=" + Long.toHexString(provenance.layoutId()) + "]";
    }
}
