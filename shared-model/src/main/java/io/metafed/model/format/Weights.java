package io.metafed.model.format;

import io.metafed.model.nn.ParamVector;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of a weight file: the flat parameter vector, the id of the layout it follows and the
 * provenance metadata. Immutable: the array is copied in and out so a caller cannot change a loaded model
 * behind another holder's back.
 */
public record Weights(long layoutId, float[] params, Map<String, String> metadata) {
    public Weights {
        params = Objects.requireNonNull(params, "params").clone();
        metadata = sorted(metadata);
    }

    @Override
    public float[] params() {
        return params.clone();
    }

    /**
     * The parameters as a read-only vector over this record's own array, without a copy: the array never leaves
     * the record otherwise and {@link ParamVector} has no mutators, so sharing it keeps the record immutable. A
     * receiver that decodes an update takes it from here instead of {@link #params()}, saving one copy of Δ.
     */
    public ParamVector vector() {
        return ParamVector.adopt(params);
    }

    /** Number of parameters, without copying them. */
    public int size() {
        return params.length;
    }

    // The file stores metadata sorted by key, so the loaded view keeps that order too.
    private static SortedMap<String, String> sorted(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "metadata key"),
                    Objects.requireNonNull(e.getValue(), () -> "metadata value of '" + e.getKey() + "'"));
        }
        return Collections.unmodifiableSortedMap(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Weights w && layoutId == w.layoutId && Arrays.equals(params, w.params)
                && metadata.equals(w.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(layoutId, Arrays.hashCode(params), metadata);
    }

    @Override
    public String toString() {
        return "Weights[layoutId=" + String.format("0x%016x", layoutId) + ", size=" + params.length
                + ", metadata=" + metadata + "]";
    }
}
