package io.metafed.coordinator.aggregate;

import io.metafed.model.Checks;
import io.metafed.model.nn.ParamVector;
import io.metafed.security.dp.GaussianNoise;
import io.metafed.security.dp.L2Clipper;
import io.metafed.security.dp.NoiseSource;
import io.metafed.security.dp.PrivacyBudget;
import io.metafed.security.dp.SecureNoiseSource;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * User-level DP-FedAvg (McMahan, Ramage, Talwar and Zhang 2018, "Learning Differentially Private Recurrent
 * Language Models", Algorithm 1 with uniform weights and the fixed-denominator estimator) around any rule:
 * <pre>
 *   Δ̃ = ( Σᵢ clip_C(Δᵢ) ) / n  +  N(0, σ² I),   σ = z·C / n,   n = expectedClients
 * </pre>
 * and then {@code inner} applied to Δ̃ as if it were the round's only update (Reptile: θ + ε_r·Δ̃, or the server
 * optimizer on −Δ̃; FedAvg: θ + Δ̃). Adding or removing one user changes Σ clip(Δᵢ) by at most C in L2, so the
 * sum's sensitivity is C and the noise z·C on the sum (z·C/n on the mean) gives the Gaussian mechanism with noise
 * multiplier z. Everything after the noise is post-processing.
 *
 * <p>Why the choices: the denominator is the fixed n, not the number of updates received, because a data-dependent
 * count would itself depend on who took part; a round never counts more than n updates (the coordinator refuses
 * them), which this rule checks. Client weights (example counts) are ignored, every user counts 1: a weight
 * scales a user's influence, so unbounded weights would void the sensitivity bound.
 *
 * <p>With individual updates clipping happens here, at the coordinator. With secure aggregation the clients clip
 * to C and send weight 1, and {@link #accumulateSum} checks what it can of that on the sum; the noise is then
 * added to the decoded sum by the coordinator (central DP: the coordinator sees the sum, never a single Δ).
 *
 * @param expectedClients n, the round's clientsPerRound
 */
public record DifferentiallyPrivate(AggregationRule inner, L2Clipper clipper, int expectedClients,
                                    PrivacyBudget budget, NoiseSource noiseSource) implements AggregationRule {

    public DifferentiallyPrivate {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(clipper, "clipper");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(noiseSource, "noiseSource");
        Checks.positive(expectedClients, "expectedClients");
        if (inner instanceof DifferentiallyPrivate) {
            throw new IllegalArgumentException("inner must not itself be DifferentiallyPrivate");
        }
        if (clipper.clipNorm() == Double.POSITIVE_INFINITY && budget.noiseMultiplier() > 0) {
            throw new IllegalArgumentException("noise multiplier " + budget.noiseMultiplier() + " needs a finite "
                    + "clip norm: the noise scale is z·C");
        }
    }

    /** DP around {@code inner} with noise from a {@link SecureNoiseSource}. */
    public static DifferentiallyPrivate of(AggregationRule inner, double clipNorm, int expectedClients,
            PrivacyBudget budget) {
        return new DifferentiallyPrivate(inner, new L2Clipper(clipNorm), expectedClients, budget,
                new SecureNoiseSource());
    }

    /** σ = z·C/n, the standard deviation of the noise on each coordinate of the mean update. */
    public double noiseStddev() {
        double z = budget.noiseMultiplier();
        return z == 0 ? 0 : z * clipper.clipNorm() / expectedClients;
    }

    /** Adds clip_C(Δ) with weight 1; the client's weight is deliberately ignored (see the class comment). */
    @Override
    public void accumulate(WeightedSum sum, ParamVector theta, ParamVector delta, double weight) {
        if (sum.count() >= expectedClients) {
            throw new IllegalStateException("a DP round counts at most expectedClients=" + expectedClients
                    + " updates; found another after " + sum.count());
        }
        // Within C clipping is the identity (L2Clipper would only copy Δ), so the view itself is added; NaN fails
        // the comparison and reaches the clipper, which refuses it.
        boolean within = delta.norm() <= clipper.clipNorm();
        sum.add(within ? delta : ParamVector.adopt(clipper.clip(delta.toArray()).values()), 1.0);
    }

    /**
     * Takes a secure sum Σ clip_C(Δᵢ) of {@code count} updates that the <em>clients</em> clipped to C, each with
     * weight 1 (docs/PRIVACY.md, "With secure aggregation"). The coordinator cannot check a single client's
     * clipping inside the sum, only what the sum must satisfy if every client did: Σ wᵢ = count (any other weight
     * would scale a user's influence) and ‖Σ clip(Δᵢ)‖₂ ≤ count·C. A sum failing either is refused unchanged.
     */
    @Override
    public void accumulateSum(WeightedSum sum, ParamVector theta, double[] weightedDeltaSum, double totalWeight,
            int count) {
        if (sum.count() + count > expectedClients) {
            throw new IllegalStateException("a DP round counts at most expectedClients=" + expectedClients
                    + " updates; a secure sum of " + count + " after " + sum.count() + " exceeds it");
        }
        // Fixed-point decoding leaves errors far below these slacks (FixedPointEncoder.maxAbsError).
        if (Math.abs(totalWeight - count) > 1e-6 * count) {
            throw new IllegalArgumentException("secure sum for DP must carry weight 1 per client: expected total"
                    + " weight " + count + ", found " + totalWeight);
        }
        double norm = L2Clipper.norm(weightedDeltaSum);
        double bound = count * clipper.clipNorm();
        if (norm > bound * (1 + 1e-6) + 1e-6) {
            throw new IllegalArgumentException("secure sum of " + count + " updates has L2 norm " + norm
                    + ", more than count·C = " + bound + ": its clients did not clip to C=" + clipper.clipNorm());
        }
        sum.addWeightedSum(weightedDeltaSum, count, count);
    }

    @Override
    public OptimizerState initialState(int size) {
        return inner.initialState(size);
    }

    @Override
    public Aggregate aggregate(ParamVector theta, WeightedSum sum, int round, OptimizerState state) {
        theta.requireSize(sum.size(), "theta");
        double[] noisy = sum.mean(); // Σ clip(Δᵢ) / count (all weights are 1)
        double toFixedDenominator = (double) sum.count() / expectedClients;
        for (int j = 0; j < noisy.length; j++) {
            noisy[j] *= toFixedDenominator;
        }
        new GaussianNoise(noiseStddev(), noiseSource).addTo(noisy);
        float[] released = new float[noisy.length];
        for (int j = 0; j < released.length; j++) {
            released[j] = (float) noisy[j];
        }
        Checks.allFinite(released, "noised mean update");
        WeightedSum single = new WeightedSum(sum.size());
        inner.accumulate(single, theta, ParamVector.adopt(released), 1.0);
        return inner.aggregate(theta, single, round, state);
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> map = new TreeMap<>(inner.describe());
        map.putAll(budget.describe());
        map.put("dp.clipNorm", Double.toString(clipper.clipNorm()));
        map.put("dp.expectedClients", Integer.toString(expectedClients));
        map.put("dp.noiseStddev", Double.toString(noiseStddev()));
        return map;
    }
}
