package io.metafed.sdk;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.onnx.MetafedGraphs;
import java.util.Objects;

/**
 * A version of the global meta-initialization θ as a device receives it: the round's model version, the id of
 * the {@link ParamLayout} its flat parameter vector follows, and the (finite) parameters. The parameters are an
 * immutable {@link ParamVector}, so a model cannot change after it was validated and one model can be handed to
 * every client of a round without a copy; {@link #params()} still returns a copy for callers that want an array.
 */
public record GlobalModel(long version, long layoutId, ParamVector vector) {
    public GlobalModel {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, found " + version);
        }
        Objects.requireNonNull(vector, "params");
        vector.requireFinite("params");
    }

    /** A model over a copy of {@code params}. */
    public GlobalModel(long version, long layoutId, float[] params) {
        this(version, layoutId, ParamVector.copyOf(Objects.requireNonNull(params, "params")));
    }

    /** A model of {@code layout} over a copy of {@code params}, checked against it. */
    public static GlobalModel of(long version, ParamLayout layout, float[] params) {
        return of(version, layout, ParamVector.copyOf(Objects.requireNonNull(params, "params")));
    }

    /** A model of {@code layout} sharing {@code params} (immutable, so no copy), checked against it. */
    public static GlobalModel of(long version, ParamLayout layout, ParamVector params) {
        GlobalModel model = new GlobalModel(version, layout.id(), params);
        model.requireLayout(layout);
        return model;
    }

    /** A copy of the parameters; {@link #vector()} reads them without one. */
    public float[] params() {
        return vector.toArray();
    }

    /** @throws IllegalArgumentException naming expected and found when this model does not follow {@code layout} */
    public void requireLayout(ParamLayout layout) {
        if (layoutId != layout.id()) {
            throw new IllegalArgumentException("global model v" + version + " layout id must be "
                    + MetafedGraphs.hex(layout.id()) + ", found " + MetafedGraphs.hex(layoutId));
        }
        if (vector.size() != layout.size()) {
            throw new IllegalArgumentException("global model v" + version + " params must have length "
                    + layout.size() + ", found " + vector.size());
        }
    }

    @Override
    public String toString() {
        return "GlobalModel[version=" + version + ", layout=" + MetafedGraphs.hex(layoutId) + ", "
                + vector.size() + " params]";
    }
}
