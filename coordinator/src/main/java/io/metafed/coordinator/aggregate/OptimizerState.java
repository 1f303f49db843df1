package io.metafed.coordinator.aggregate;

/**
 * A server optimizer's state between rounds (momentum buffers, Adam moments). Instances are immutable: a step
 * returns the next state and the coordinator adopts it only together with the new model, so a failed round
 * leaves both untouched.
 */
public sealed interface OptimizerState permits OptimizerState.Empty, Momentum.State, Adam.State {

    /** Number of parameters the state covers; 0 for stateless optimizers. */
    int size();

    /**
     * The optimizer this state belongs to, spelled like the {@code optimizer} provenance key ("momentum",
     * "adam"), or "none" for stateless optimizers.
     */
    String kind();

    /** The state of optimizers that keep none (plain Reptile, FedAvg). */
    enum Empty implements OptimizerState {
        INSTANCE;

        @Override
        public int size() {
            return 0;
        }

        @Override
        public String kind() {
            return "none";
        }
    }
}
