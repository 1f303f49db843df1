package io.metafed.model.onnx;

/** What a Metafed ONNX graph computes; {@link #id()} is the value of the {@code metafed.graph_kind} metadata. */
public enum GraphKind {
    /** params, features → predictions. */
    SCORING("scoring"),
    /** params, features, ratings, weights, learning_rate → params_out, loss: one SGD step. */
    ADAPTATION_STEP("adaptation_step"),
    /** Collaborative model: theta, z, rows, content → predictions. */
    COLLAB_SCORING("collab_scoring"),
    /** Collaborative model: theta, rows, content, ratings, weights → ridge_a, ridge_b (the normal equations). */
    COLLAB_RIDGE("collab_ridge"),
    /** Collaborative model: theta, z, rows, content, ratings, weights, learning_rate → theta_out, loss. */
    COLLAB_TRAIN_STEP("collab_train_step"),
    /** Collaborative model, C clients: theta, rows, content, ratings, weights [C, 2, N] → ridge_a, ridge_b. */
    COLLAB_BATCHED_RIDGE("collab_batched_ridge"),
    /** Collaborative model, C clients: k SGD steps on each client's local copy, and the losses. */
    COLLAB_BATCHED_ADAPTATION("collab_batched_adaptation");

    private final String id;

    GraphKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
