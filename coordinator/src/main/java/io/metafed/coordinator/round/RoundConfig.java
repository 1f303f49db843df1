package io.metafed.coordinator.round;

import io.metafed.model.Checks;
import java.util.Map;

/**
 * Participation rules of every round.
 *
 * @param clientsPerRound updates a round counts; later ones are refused as {@link RoundFullException}
 * @param minUpdates fewest updates for a round to aggregate; fewer and the round fails, θ unchanged
 * @param overSelection factor ≥ 1: ⌈clientsPerRound · overSelection⌉ clients are selected, so that stragglers
 *     and drop-outs still leave clientsPerRound updates (Bonawitz et al., "Towards Federated Learning at Scale")
 * @param seed base of the per-round sampling seed; a run with the same seed and check-ins selects the same
 *     clients in every round
 */
public record RoundConfig(int clientsPerRound, int minUpdates, double overSelection, long seed) {

    public RoundConfig {
        Checks.positive(clientsPerRound, "clientsPerRound");
        Checks.positive(minUpdates, "minUpdates");
        if (minUpdates > clientsPerRound) {
            throw new IllegalArgumentException("minUpdates must be <= clientsPerRound (" + clientsPerRound
                    + "), found " + minUpdates);
        }
        if (!(overSelection >= 1) || clientsPerRound * overSelection > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("overSelection must be >= 1 and keep clientsPerRound·overSelection"
                    + " within int range, found " + overSelection);
        }
    }

    /** No over-selection. */
    public static RoundConfig of(int clientsPerRound, int minUpdates, long seed) {
        return new RoundConfig(clientsPerRound, minUpdates, 1.0, seed);
    }

    /** Number of clients to select when enough are checked in: ⌈clientsPerRound · overSelection⌉. */
    public int selectionSize() {
        return (int) Math.ceil(clientsPerRound * overSelection);
    }

    /** Parameters for provenance, keys prefixed {@code round.}. */
    public Map<String, String> describe() {
        return Map.of("round.clientsPerRound", Integer.toString(clientsPerRound),
                "round.minUpdates", Integer.toString(minUpdates),
                "round.overSelection", Double.toString(overSelection), "round.seed", Long.toString(seed));
    }
}
