package io.metafed.simulation;

/** The ways of obtaining a model that one simulation run compares. */
public enum Algorithm {
    /** Federated averaging: clients train locally for whole epochs, the server averages their models (ε = 1). */
    FEDAVG("FedAvg"),
    /** Federated Reptile: clients adapt k inner steps, the server moves θ by ε toward their mean. */
    FEDREPTILE("FedReptile"),
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
}
