package io.metafed.sdk;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.nn.ParamLayout;

/**
 * The device half of each {@link FederatedAlgorithm} for models without private parameters (the collaborative
 * model's learners live in {@link CollabDevice}); the coordinator's {@code AggregationRules} is the server half.
 * The switch has no default branch, so a new algorithm does not compile until it has a learner here.
 */
final class LocalLearners {
    private LocalLearners() {
    }

    /**
     * @throws IllegalArgumentException when {@code algorithm} does not train {@code layout}
     */
    static LocalLearner of(FederatedAlgorithm algorithm, ModelRuntime runtime, ParamLayout layout) {
        algorithm.requireFits(layout);
        return switch (algorithm) {
            case FEDAVG, FEDREPTILE -> new SgdLearner(runtime);
            case FOMAML -> new FomamlLearner(runtime);
            case META_SGD -> new MetaSgdLearner(runtime, layout.modelSize());
            case FEDRECON -> throw new IllegalArgumentException("FedRecon runs in CollabDevice"); // requireFits refused it
        };
    }
}
