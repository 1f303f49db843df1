package io.metafed.simulation;

/** The ways of obtaining a model that one simulation run compares. */
public enum Algorithm {
    /** Federated averaging: clients train locally for whole epochs, the server averages their models (ε = 1). */
    FEDAVG("FedAvg"),
    /** Federated Reptile: clients adapt k inner steps, the server moves θ by ε toward their mean. */
    FEDREPTILE("FedReptile"),
    /**
     * Federated Reconstruction (collaborative model): each client reconstructs its private user parameters in
     * closed form on half its ratings, trains the shared ones on the other half, and moves the prior toward its
     * user; the server moves θ by ε toward the mean.
     */
    FEDRECON("FedRecon"),
    /** No federation: every user adapts the same random initialization on their own ratings. */
    LOCAL_ONLY("Local only"),
    /** Reptile with all training tasks in one place (no privacy), the upper reference for FedReptile. */
    CENTRAL_REPTILE("Central Reptile");

    private final String label;

    Algorithm(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether this algorithm trains {@code model}; the message of {@link #requireSupports} says why not. */
    public boolean supports(ModelFamily model) {
        return switch (this) {
            case FEDAVG -> true;
            case FEDRECON -> model == ModelFamily.COLLAB;
            case FEDREPTILE, LOCAL_ONLY, CENTRAL_REPTILE -> model == ModelFamily.MELU;
        };
    }

    public void requireSupports(ModelFamily model) {
        if (!supports(model)) {
            throw new IllegalArgumentException("algorithm " + name() + " does not train model " + model.label()
                    + (model == ModelFamily.COLLAB ? ": use FEDRECON or FEDAVG (or --model melu)"
                    : ": FEDRECON needs the private user parameters of --model collab"));
        }
    }
}
