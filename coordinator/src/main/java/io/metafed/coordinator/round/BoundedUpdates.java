package io.metafed.coordinator.round;

import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.WeightedSum;
import io.metafed.coordinator.round.ContributionBounds.Action;
import io.metafed.coordinator.round.ContributionBounds.Combiner;
import io.metafed.coordinator.round.ContributionBounds.NormBound;
import io.metafed.model.nn.ParamVector;
import io.metafed.security.dp.L2Clipper;
import io.metafed.security.secagg.FixedPointEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Applies a round's {@link ContributionBounds}: caps weights and clips (or refuses) over-norm updates as they
 * arrive when the bound is fixed, and otherwise keeps the accepted updates until the round closes, when the
 * bound (k × lower median norm) and the combiner (mean, median, trimmed mean) need all of them. Memory is then
 * clientsPerRound × parameters floats. Not thread-safe: the {@link Round} calls it under the coordinator's lock.
 */
final class BoundedUpdates {
    private final ContributionBounds bounds;
    private final int roundId;
    private final List<Held> held = new ArrayList<>();
    private final List<String> clipped = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private double lastBound = Double.NaN;

    /** An accepted update waiting for the round to close. */
    private record Held(String client, ParamVector delta, double weight, double norm) {
    }

    /** An update after the per-update bounds: the delta and weight to count. */
    record Bounded(ParamVector delta, double weight) {
    }

    BoundedUpdates(ContributionBounds bounds, int roundId) {
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.roundId = roundId;
    }

    ContributionBounds bounds() {
        return bounds;
    }

    /** Caps the weight and applies a fixed norm bound; {@code norm} = ‖delta‖₂, computed by the caller. */
    Bounded admit(String client, ParamVector delta, double weight, double norm) {
        double counted = Math.min(weight, bounds.maxWeight());
        if (bounds.norm() instanceof NormBound.Fixed fixed) {
            if (norm > fixed.clipNorm()) {
                if (bounds.action() == Action.REFUSE) {
                    throw new InvalidUpdateException("update from client " + client + " has L2 norm " + norm
                            + ", more than the bound C=" + fixed.clipNorm() + " of round " + roundId);
                }
                delta = clip(delta, fixed.clipNorm());
                clipped.add(client);
            }
        }
        return new Bounded(delta, counted);
    }

    /** Whether updates wait for the close ({@link #hold}) instead of going straight into the sum. */
    boolean holds() {
        return bounds.buffers();
    }

    void hold(String client, Bounded update) {
        hold(client, update, update.delta().norm());
    }

    /** As {@link #hold(String, Bounded)} with {@code norm} = ‖update.delta()‖₂ already computed. */
    void hold(String client, Bounded update, double norm) {
        held.add(new Held(client, update.delta(), update.weight(), norm));
    }

    /**
     * The held updates bounded and combined into a new sum through {@code rule}.
     *
     * @throws IllegalStateException if fewer than {@code minUpdates} remain after refusing over-norm updates
     */
    WeightedSum close(AggregationRule rule, ParamVector theta, int minUpdates) {
        double bound = Double.POSITIVE_INFINITY;
        if (bounds.norm() instanceof NormBound.MedianMultiple m && !held.isEmpty()) {
            double[] norms = held.stream().mapToDouble(Held::norm).sorted().toArray();
            bound = m.multiple() * norms[(norms.length - 1) / 2];
        }
        lastBound = bound;
        clipped.clear();
        refused.clear();
        List<Held> kept = new ArrayList<>(held.size());
        for (Held h : held) {
            if (h.norm() <= bound) {
                kept.add(h);
            } else if (bounds.action() == Action.REFUSE) {
                refused.add(h.client());
            } else {
                // bound > 0 here: it is at least the lower median norm, which is below this one.
                ParamVector delta = bound == 0 ? ParamVector.adopt(new float[h.delta().size()])
                        : clip(h.delta(), bound);
                kept.add(new Held(h.client(), delta, h.weight(), Math.min(h.norm(), bound)));
                clipped.add(h.client());
            }
        }
        if (kept.size() < minUpdates) {
            throw new IllegalStateException(refused.size() + " of " + held.size() + " updates were over the norm bound "
                    + bound + " and refused (clients " + refused + "); " + kept.size() + " remain, expected at least"
                    + " minUpdates=" + minUpdates);
        }
        WeightedSum sum = new WeightedSum(theta.size());
        if (bounds.combiner() instanceof Combiner.Mean) {
            for (Held h : kept) {
                rule.accumulate(sum, theta, h.delta(), h.weight());
            }
        } else {
            double weight = kept.stream().mapToDouble(Held::weight).sum();
            rule.accumulate(sum, theta, combine(kept, bounds.combiner()), weight);
        }
        return sum;
    }

    /**
     * Δ scaled to L2 norm {@code bound} into a new vector (only over-norm updates are copied); scaling keeps zeros
     * zero, so the clipped vector keeps Δ's support.
     */
    private static ParamVector clip(ParamVector delta, double bound) {
        return ParamVector.adoptSparse(new L2Clipper(bound).clip(delta.toArray()).values(), delta.support());
    }

    /** Clients whose update was clipped (at admission for a fixed bound, else at the last close). */
    List<String> clipped() {
        return List.copyOf(clipped);
    }

    /** Clients whose update was left out at the last close. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    /** The norm bound the last close used (+∞ without a median bound), NaN before. */
    double lastBound() {
        return lastBound;
    }

    /**
     * Checks a decoded secure sum against what honest clients that applied the announced bounds could produce:
     * Σ wᵢ ≤ count · maxWeight, and with a fixed C, ‖Σ wᵢΔᵢ‖₂ ≤ C · Σ wᵢ; both with the fixed-point decoding error
     * of {@code selected} inputs as slack. The server cannot see a single client's clipping inside the sum, only
     * this.
     */
    void checkSecureSum(String what, double[] weightedSum, double totalWeight, int count, int selected) {
        double maxWeight = bounds.maxWeight();
        double clip = bounds.norm() instanceof NormBound.Fixed f ? f.clipNorm() : Double.NaN;
        double weightSlack = 1e-9 * count;
        double normSlack = 1e-9;
        if (Double.isFinite(maxWeight) && !Double.isNaN(clip)) {
            FixedPointEncoder encoder = new FixedPointEncoder(clip, maxWeight, Math.max(1, selected));
            weightSlack += encoder.maxAbsWeightError(count);
            normSlack += encoder.maxAbsError(count) * Math.sqrt(weightedSum.length);
        }
        if (totalWeight > count * maxWeight + weightSlack) {
            throw new InvalidUpdateException(what + " has total weight " + totalWeight + ", more than count × maxWeight"
                    + " = " + count + " × " + maxWeight + ": a client sent a weight over the announced cap");
        }
        if (!Double.isNaN(clip)) {
            double norm = L2Clipper.norm(weightedSum);
            double limit = clip * (totalWeight + weightSlack) + normSlack;
            if (norm > limit) {
                throw new InvalidUpdateException(what + " has L2 norm " + norm + ", more than C × total weight = "
                        + clip + " × " + totalWeight + ": a client did not clip to the announced C");
            }
        }
    }

    /** Coordinate-wise median or trimmed mean of the kept updates (unweighted). */
    static ParamVector combine(List<Held> kept, Combiner combiner) {
        int n = kept.size();
        int size = kept.get(0).delta().size();
        int trim = combiner instanceof Combiner.TrimmedMean t ? (int) Math.floor(t.trim() * n) : 0;
        float[] out = new float[size];
        double[] column = new double[n];
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < n; i++) {
                column[i] = kept.get(i).delta().get(j);
            }
            Arrays.sort(column);
            if (combiner instanceof Combiner.Median) {
                out[j] = (float) (n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2);
            } else {
                double s = 0;
                for (int i = trim; i < n - trim; i++) {
                    s += column[i];
                }
                out[j] = (float) (s / (n - 2 * trim));
            }
        }
        return ParamVector.adopt(out);
    }
}
