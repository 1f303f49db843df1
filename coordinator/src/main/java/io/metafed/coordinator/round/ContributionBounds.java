package io.metafed.coordinator.round;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How far one client can move the global model in a round (docs/SECURITY.md, "Poisoning and contribution bounds").
 * Weights and deltas are self-reported by devices, so the server bounds both before they reach the sum:
 * <ul>
 *   <li>a weight above {@code maxWeight} counts as {@code maxWeight} (a device cannot buy influence with a large
 *       example count);</li>
 *   <li>an update whose L2 norm exceeds the round's bound is scaled down to it ({@link Action#CLIP}) or left out
 *       ({@link Action#REFUSE}); the bound is a fixed C set by the operator, or a multiple k of the round's lower
 *       median norm, which a minority of clients cannot raise above the largest honest norm;</li>
 *   <li>optionally the round combines its (bounded) updates with a robust rule instead of the weighted mean.</li>
 * </ul>
 * With both bounds one update moves the mean update by at most maxWeight·B / Σw in L2.
 *
 * @param maxWeight largest weight an update counts with, > 0 (+∞: uncapped)
 * @param norm      the L2 bound per update
 * @param action    what happens to an update over the bound
 * @param combiner  how the round's bounded updates become one
 */
public record ContributionBounds(double maxWeight, NormBound norm, Action action, Combiner combiner) {
    /** Default weight cap: the same W secure aggregation encodes (SecAggSettings.DEFAULT_MAX_WEIGHT). */
    public static final double DEFAULT_MAX_WEIGHT = 1024;
    /** Default multiple of the round's median norm. */
    public static final double DEFAULT_MEDIAN_MULTIPLE = 3.0;

    public ContributionBounds {
        if (!(maxWeight > 0)) {
            throw new IllegalArgumentException("maxWeight must be > 0 (or +Infinity for uncapped), found " + maxWeight);
        }
        Objects.requireNonNull(norm, "norm");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(combiner, "combiner");
    }

    /** The server default: weights capped at 1024, clipped to 3 × the round's median norm, weighted mean. */
    public static ContributionBounds defaults() {
        return new ContributionBounds(DEFAULT_MAX_WEIGHT, new NormBound.MedianMultiple(DEFAULT_MEDIAN_MULTIPLE),
                Action.CLIP, Combiner.mean());
    }

    /**
     * No weight cap and no norm bound: every finite update counts as sent. Only for simulations and tests whose
     * clients are all simulated and honest (it keeps their results bit for bit); never for a server.
     */
    public static ContributionBounds unbounded() {
        return new ContributionBounds(Double.POSITIVE_INFINITY, new NormBound.None(), Action.CLIP, Combiner.mean());
    }

    /** Clip to a fixed C with the given weight cap and the weighted mean. */
    public static ContributionBounds fixed(double maxWeight, double clipNorm) {
        return new ContributionBounds(maxWeight, new NormBound.Fixed(clipNorm), Action.CLIP, Combiner.mean());
    }

    public ContributionBounds withAction(Action newAction) {
        return new ContributionBounds(maxWeight, norm, newAction, combiner);
    }

    public ContributionBounds withCombiner(Combiner newCombiner) {
        return new ContributionBounds(maxWeight, norm, action, newCombiner);
    }

    /** Whether a round must keep its updates until it closes (the bound or the combiner needs all of them). */
    boolean buffers() {
        return norm instanceof NormBound.MedianMultiple || !(combiner instanceof Combiner.Mean);
    }

    /** Parameters for provenance, keys prefixed {@code bounds.}. */
    public Map<String, String> describe() {
        Map<String, String> map = new TreeMap<>();
        map.put("bounds.maxWeight", Double.toString(maxWeight));
        map.put("bounds.norm", norm.describe());
        map.put("bounds.action", action.name().toLowerCase(java.util.Locale.ROOT));
        map.put("bounds.combiner", combiner.describe());
        return map;
    }

    /** What happens to an update whose norm is over the bound. */
    public enum Action {
        /** Scaled down to the bound: it still counts, with bounded influence. */
        CLIP,
        /** Left out of the round (refused at submission when the bound is fixed). */
        REFUSE
    }

    /** The L2 bound of one update. */
    public sealed interface NormBound {
        String describe();

        /** No bound (simulations only). */
        record None() implements NormBound {
            @Override
            public String describe() {
                return "none";
            }
        }

        /** A fixed C set by the operator (or by secure aggregation, where devices clip to it). */
        record Fixed(double clipNorm) implements NormBound {
            public Fixed {
                if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
                    throw new IllegalArgumentException("clipNorm must be positive and finite, found " + clipNorm);
                }
            }

            @Override
            public String describe() {
                return "fixed:" + clipNorm;
            }
        }

        /**
         * k × the lower median of the round's update norms. The lower median (element ⌊(n−1)/2⌋ of the sorted
         * norms) is at most the largest honest norm whenever fewer than half the updates are adversarial, so an
         * attacker cannot widen the bound for itself.
         */
        record MedianMultiple(double multiple) implements NormBound {
            public MedianMultiple {
                if (!(multiple >= 1) || Double.isInfinite(multiple)) {
                    throw new IllegalArgumentException("median multiple must be >= 1 and finite, found " + multiple);
                }
            }

            @Override
            public String describe() {
                return "median-multiple:" + multiple;
            }
        }
    }

    /** How the round's bounded updates become the one update the aggregation rule applies. */
    public sealed interface Combiner {
        String describe();

        static Combiner mean() {
            return new Mean();
        }

        /** Σ wᵢΔᵢ / Σ wᵢ (the rule's own accumulation: Reptile, FedAvg, DP). */
        record Mean() implements Combiner {
            @Override
            public String describe() {
                return "weighted-mean";
            }
        }

        /** Coordinate-wise median of the updates (unweighted; Yin et al. 2018). */
        record Median() implements Combiner {
            @Override
            public String describe() {
                return "median";
            }
        }

        /**
         * Coordinate-wise trimmed mean: per parameter, the ⌊trim·n⌋ smallest and largest values are dropped and the
         * rest averaged (unweighted; Yin et al. 2018).
         */
        record TrimmedMean(double trim) implements Combiner {
            public TrimmedMean {
                if (!(trim >= 0 && trim < 0.5)) {
                    throw new IllegalArgumentException("trim fraction must be in [0, 0.5), found " + trim);
                }
            }

            @Override
            public String describe() {
                return "trimmed-mean:" + trim;
            }
        }
    }
}
