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
 * behind another holder's back. A value class with the accessors of a record (it was one); not a record because
 * the reader must hand over the array it just decoded without the copy a record's constructor would make: on a
 * coordinator that is one copy of every received update fewer.
 */
public final class Weights {
    private final long layoutId;
    private final float[] params;
    private final Map<String, String> metadata;

    public Weights(long layoutId, float[] params, Map<String, String> metadata) {
        this(layoutId, Objects.requireNonNull(params, "params").clone(), metadata, true);
    }

    /** Takes {@code params} as it is: only for arrays no one else holds (the parser's freshly decoded one). */
    private Weights(long layoutId, float[] params, Map<String, String> metadata, boolean owned) {
        this.layoutId = layoutId;
        this.params = params;
        this.metadata = sorted(metadata);
    }

    /** Weights over {@code params} without copying it; the caller gives up the array. */
    static Weights adopt(long layoutId, float[] params, Map<String, String> metadata) {
        return new Weights(layoutId, Objects.requireNonNull(params, "params"), metadata, true);
    }

    public long layoutId() {
        return layoutId;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

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
