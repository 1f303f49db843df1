package io.metafed.model.onnx;

/** What a Metafed ONNX graph computes; {@link #id()} is the value of the {@code metafed.graph_kind} metadata. */
public enum GraphKind {
    /** params, features → predictions. */
    SCORING("scoring"),
    /** params, features, ratings, weights, learning_rate → params_out, loss: one SGD step. */
    ADAPTATION_STEP("adaptation_step");

    private final String id;

    GraphKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
