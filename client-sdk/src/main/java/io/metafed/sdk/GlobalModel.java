package io.metafed.sdk;

import io.metafed.model.Checks;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.onnx.MetafedGraphs;
import java.util.Arrays;
import java.util.Objects;

/**
 * A version of the global meta-initialization θ as a device receives it: the round's model version, the id of
 * the {@link ParamLayout} its flat parameter vector follows, and the (finite) parameters. Arrays are copied in
 * and out, so a model cannot change after it was validated.
 */
public record GlobalModel(long version, long layoutId, float[] params) {
    public GlobalModel {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, found " + version);
        }
        Objects.requireNonNull(params, "params");
        params = params.clone();
        Checks.allFinite(params, "params");
    }

    /** A model of {@code layout}, checked against it. */
    public static GlobalModel of(long version, ParamLayout layout, float[] params) {
        GlobalModel model = new GlobalModel(version, layout.id(), params);
        model.requireLayout(layout);
        return model;
    }

    @Override
    public float[] params() {
        return params.clone();
    }

    /** @throws IllegalArgumentException naming expected and found when this model does not follow {@code layout} */
    public void requireLayout(ParamLayout layout) {
        if (layoutId != layout.id()) {
            throw new IllegalArgumentException("global model v" + version + " layout id must be "
                    + MetafedGraphs.hex(layout.id()) + ", found " + MetafedGraphs.hex(layoutId));
        }
        if (params.length != layout.size()) {
            throw new IllegalArgumentException("global model v" + version + " params must have length "
                    + layout.size() + ", found " + params.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobalModel m && version == m.version && layoutId == m.layoutId
                && Arrays.equals(params, m.params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, layoutId, Arrays.hashCode(params));
    }

    @Override
    public String toString() {
        return "GlobalModel[version=" + version + ", layout=" + MetafedGraphs.hex(layoutId) + ", "
                + params.length + " params]";
    }
}
