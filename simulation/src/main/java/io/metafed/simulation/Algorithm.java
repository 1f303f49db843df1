package io.metafed.simulation;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.nn.ParamLayout;

/**
 * The ways of obtaining a model that one simulation run compares: the federated algorithms of the shared
 * registry ({@link FederatedAlgorithm}, run through the real coordinator and SDK) and two non-federated references.
 */
public enum Algorithm {
    /** Federated averaging: clients train locally for whole epochs, the server averages their models (ε = 1). */
    FEDAVG(FederatedAlgorithm.FEDAVG),
    /** Federated Reptile: clients adapt k inner steps, the server moves θ by ε toward their mean. */
    FEDREPTILE(FederatedAlgorithm.FEDREPTILE),
    /** First-order MAML / Per-FedAvg: clients return first-order meta-gradients from support/query splits. */
    FOMAML(FederatedAlgorithm.FOMAML),
    /** Meta-SGD: a per-parameter inner learning rate, meta-learned and aggregated like θ. */
    META_SGD(FederatedAlgorithm.META_SGD),
    /**
     * Federated Reconstruction (collaborative model): each client reconstructs its private user parameters in
     * closed form on half its ratings, trains the shared ones on the other half, and moves the prior toward its
     * user; the server moves θ by ε toward the mean.
     */
    FEDRECON(FederatedAlgorithm.FEDRECON),
    /** No federation: every user adapts the same random initialization on their own ratings. */
    LOCAL_ONLY(null, "Local only"),
    /** Reptile with all training tasks in one place (no privacy), the upper reference for FedReptile. */
    CENTRAL_REPTILE(null, "Central Reptile");

    private final FederatedAlgorithm federated;
    private final String label;

    Algorithm(FederatedAlgorithm federated) {
        this(federated, federated.label());
    }

    Algorithm(FederatedAlgorithm federated, String label) {
        this.federated = federated;
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The registry's algorithm this one runs through coordinator and SDK; null for the non-federated references. */
    public FederatedAlgorithm federated() {
        return federated;
    }

    /** The layout this algorithm trains for {@code model}: Meta-SGD adds its inner learning rates. */
    public ParamLayout layoutFor(ParamLayout model) {
        return this == META_SGD ? model.withInnerRates() : model;
    }

    /** Whether this algorithm trains {@code model}; the message of {@link #requireSupports} says why not. */
    public boolean supports(ModelFamily model) {
        if (federated != null) {
            return model == ModelFamily.COLLAB ? federated == FederatedAlgorithm.FEDAVG
                    || federated == FederatedAlgorithm.FEDRECON : federated != FederatedAlgorithm.FEDRECON;
        }
        return model == ModelFamily.MELU;
    }

    public void requireSupports(ModelFamily model) {
        if (!supports(model)) {
            throw new IllegalArgumentException("algorithm " + name() + " does not train model " + model.label()
                    + (model == ModelFamily.COLLAB ? ": use FEDRECON or FEDAVG (or --model melu)"
                    : ": FEDRECON needs the private user parameters of --model collab"));
        }
    }
}
