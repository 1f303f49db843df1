package io.metafed.coordinator;

import io.metafed.model.algorithm.LocalTraining;
import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.DifferentiallyPrivate;
import io.metafed.coordinator.round.ContributionBounds;
import io.metafed.coordinator.round.ParticipantSampler;
import io.metafed.coordinator.round.RoundConfig;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything that shapes a federated run: participation, the clients' inner loop, the aggregation rule, the bounds
 * on each contribution and how participants are sampled.
 */
public record CoordinatorConfig(RoundConfig rounds, LocalTraining client, AggregationRule rule,
        ContributionBounds bounds, ParticipantSampler sampler) {

    /**
     * Unbounded contributions and sampling seeded from {@code rounds.seed()}: for simulations and tests, whose
     * clients are simulated and whose runs replay bit for bit. Servers use the canonical constructor with
     * {@link ContributionBounds#defaults()} (or stricter) and {@link ParticipantSampler#secure()}.
     */
    public CoordinatorConfig(RoundConfig rounds, LocalTraining client, AggregationRule rule) {
        this(rounds, client, rule, ContributionBounds.unbounded(), ParticipantSampler.seeded(rounds.seed()));
    }

    public CoordinatorConfig {
        Objects.requireNonNull(rounds, "rounds");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(sampler, "sampler");
        if (rule instanceof DifferentiallyPrivate && !(bounds.combiner() instanceof ContributionBounds.Combiner.Mean)) {
            // DP's noise is calibrated to a sum of clipped updates; a median or trimmed mean has another sensitivity.
            throw new IllegalArgumentException("differential privacy needs the weighted-mean combiner, found "
                    + bounds.combiner().describe());
        }
        if (rule instanceof DifferentiallyPrivate dp && Double.isFinite(dp.clipper().clipNorm())
                && bounds.norm() instanceof ContributionBounds.NormBound.MedianMultiple) {
            // A bound that depends on the other users' norms would let one user change everyone's clipped update.
            throw new IllegalArgumentException("differential privacy needs a fixed norm bound (its clip norm), found "
                    + bounds.norm().describe());
        }
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
        map.putAll(bounds.describe());
        map.put("round.sampling", sampler.describe());
        map.putAll(client.describe());
        return map;
    }

    Map<String, String> describeRound(double epsilon) {
        SortedMap<String, String> map = describe();
        map.put("epsilon.applied", Double.toString(epsilon));
        return map;
    }
}
