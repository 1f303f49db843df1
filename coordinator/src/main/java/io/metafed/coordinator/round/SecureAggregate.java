package io.metafed.coordinator.round;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The decoded result of one secure-aggregation round (Bonawitz et al. 2017), submitted to the coordinator
 * instead of the participants' individual updates: Σ wᵢΔᵢ and Σ wᵢ over {@code participants}, so the
 * coordinator never holds a single client's Δ.
 *
 * <p>Like {@link ClientUpdate}, only the shape is checked here; values and identity (round, version, layout,
 * finiteness, weight, selection) are checked by the {@link Round}, so that each refusal is a specific
 * {@link CoordinatorException}.
 *
 * @param weightedSum  Σ wᵢΔᵢ over the participants, one entry per parameter
 * @param totalWeight  Σ wᵢ, must be positive and finite
 * @param participants client ids whose updates are in the sum: non-empty, distinct
 */
public record SecureAggregate(int roundId, long modelVersion, long layoutId, double[] weightedSum,
        double totalWeight, List<String> participants) {

    public SecureAggregate {
        Objects.requireNonNull(weightedSum, "weightedSum");
        weightedSum = weightedSum.clone();
        participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("participants must name at least one client, found none");
        }
        if (new HashSet<>(participants).size() != participants.size()) {
            throw new IllegalArgumentException("participants must be distinct, found " + participants);
        }
    }

    @Override
    public double[] weightedSum() {
        return weightedSum.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureAggregate a && roundId == a.roundId && modelVersion == a.modelVersion
                && layoutId == a.layoutId && Arrays.equals(weightedSum, a.weightedSum)
                && Double.compare(totalWeight, a.totalWeight) == 0 && participants.equals(a.participants);
    }

    @Override
    public int hashCode() {
        return Objects.hash(roundId, modelVersion, layoutId, Arrays.hashCode(weightedSum), totalWeight,
                participants);
    }

    @Override
    public String toString() {
        return "SecureAggregate[roundId=" + roundId + ", modelVersion=" + modelVersion + ", layoutId="
                + Long.toHexString(layoutId) + ", weightedSum=double[" + weightedSum.length + "], totalWeight="
                + totalWeight + ", participants=" + participants.size() + "]";
    }
}
