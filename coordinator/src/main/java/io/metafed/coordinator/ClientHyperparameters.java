package io.metafed.coordinator;

import io.metafed.model.Checks;
import java.util.Map;

/**
 * The inner loop every selected client runs on θ: {@code innerSteps} SGD steps of size {@code innerLr} on
 * mini-batches of {@code batchSize}. Shipped with each round so that all clients adapt alike.
 */
public record ClientHyperparameters(int innerSteps, double innerLr, int batchSize) {

    public ClientHyperparameters {
        Checks.positive(innerSteps, "innerSteps");
        Checks.positive(innerLr, "innerLr");
        Checks.positive(batchSize, "batchSize");
    }

    /** Parameters for provenance, keys prefixed {@code client.}. */
    public Map<String, String> describe() {
        return Map.of("client.innerSteps", Integer.toString(innerSteps), "client.innerLr", Double.toString(innerLr),
                "client.batchSize", Integer.toString(batchSize));
    }
}
