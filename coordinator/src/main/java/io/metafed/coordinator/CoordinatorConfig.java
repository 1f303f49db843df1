package io.metafed.coordinator;

import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.DifferentiallyPrivate;
import io.metafed.coordinator.round.RoundConfig;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** Everything that shapes a federated run: participation, the clients' inner loop and the aggregation rule. */
public record CoordinatorConfig(RoundConfig rounds, ClientHyperparameters client, AggregationRule rule) {

    public CoordinatorConfig {
        Objects.requireNonNull(rounds, "rounds");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(rule, "rule");
        if (rule instanceof DifferentiallyPrivate dp && dp.expectedClients() != rounds.clientsPerRound()) {
            // The noise is calibrated to a mean over exactly clientsPerRound updates.
            throw new IllegalArgumentException("differential privacy expects " + dp.expectedClients()
                    + " clients per round but the rounds count clientsPerRound=" + rounds.clientsPerRound());
        }
    }

    /** All hyperparameters, sorted by key, for provenance. */
    public SortedMap<String, String> describe() {
        SortedMap<String, String> map = new TreeMap<>(rule.describe());
        map.putAll(rounds.describe());
        map.putAll(client.describe());
        return map;
    }

    Map<String, String> describeRound(double epsilon) {
        SortedMap<String, String> map = describe();
        map.put("epsilon.applied", Double.toString(epsilon));
        return map;
    }
}
