package io.metafed.coordinator.model;

import io.metafed.coordinator.aggregate.OptimizerState;
import java.util.Objects;

/** Argument checks shared by the checkpoint stores. */
final class CheckpointChecks {
    private CheckpointChecks() {
    }

    /** A stateful optimizer state must cover exactly the model's parameters; an empty one covers none. */
    static OptimizerState optimizerState(ModelVersion model, OptimizerState state) {
        Objects.requireNonNull(state, "optimizerState");
        if (state.size() != 0 && state.size() != model.size()) {
            throw new IllegalArgumentException("optimizer state for model version " + model.version()
                    + " must cover " + model.size() + " parameters, found " + state.size());
        }
        return state;
    }
}
