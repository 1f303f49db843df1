package io.metafed.coordinator.server;

import io.metafed.coordinator.round.ContributionBounds;
import io.metafed.coordinator.round.ContributionBounds.Action;
import io.metafed.coordinator.round.ContributionBounds.Combiner;
import io.metafed.coordinator.round.ContributionBounds.NormBound;
import picocli.CommandLine.Option;

/**
 * The coordinator's contribution-bound options (docs/SECURITY.md, "Poisoning and contribution bounds"), as a
 * picocli mixin. On by default: weights capped at {@value ContributionBounds#DEFAULT_MAX_WEIGHT}, every update
 * clipped to {@value ContributionBounds#DEFAULT_MEDIAN_MULTIPLE} × the round's median update norm.
 */
public final class BoundsOptions {
    /** The combiners {@code --robust-rule} accepts. */
    public enum Rule { MEAN, MEDIAN, TRIMMED_MEAN }

    @Option(names = "--max-update-weight", paramLabel = "W", defaultValue = "1024",
            description = "Largest weight (example count) one update counts with; larger ones count as W. Also the"
                    + " weight cap secure-aggregation devices encode (default ${DEFAULT-VALUE}).")
    double maxWeight;

    @Option(names = "--clip-norm", paramLabel = "C",
            description = "Fixed L2 bound per update (default: none, use --clip-median-multiple).")
    Double clipNorm;

    @Option(names = "--clip-median-multiple", paramLabel = "k", defaultValue = "3.0",
            description = "Without --clip-norm: bound each update by k x the round's median update norm (default"
                    + " ${DEFAULT-VALUE}).")
    double medianMultiple;

    @Option(names = "--over-bound", paramLabel = "clip|refuse", defaultValue = "clip",
            description = "An update over the L2 bound is scaled down to it (clip) or left out (refuse) (default"
                    + " ${DEFAULT-VALUE}).")
    String overBound;

    @Option(names = "--robust-rule", paramLabel = "mean|median|trimmed-mean", defaultValue = "mean",
            description = "Plain rounds: combine the bounded updates by their weighted mean, coordinate-wise median or"
                    + " coordinate-wise trimmed mean (default ${DEFAULT-VALUE}).")
    String robustRule;

    @Option(names = "--trim-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "With --robust-rule trimmed-mean: fraction dropped at each end per parameter (default"
                    + " ${DEFAULT-VALUE}).")
    double trim;

    /** @throws IllegalArgumentException naming the option when a value is out of range */
    public ContributionBounds bounds() {
        if (!(maxWeight >= 1) || Double.isInfinite(maxWeight)) {
            throw new IllegalArgumentException("--max-update-weight must be >= 1 and finite, found " + maxWeight);
        }
        NormBound norm;
        try {
            norm = clipNorm != null ? new NormBound.Fixed(clipNorm) : new NormBound.MedianMultiple(medianMultiple);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((clipNorm != null ? "--clip-norm: " : "--clip-median-multiple: ")
                    + e.getMessage());
        }
        Action action = switch (overBound) {
            case "clip" -> Action.CLIP;
            case "refuse" -> Action.REFUSE;
            default -> throw new IllegalArgumentException("--over-bound must be clip or refuse, found " + overBound);
        };
        Combiner combiner = switch (robustRule) {
            case "mean" -> Combiner.mean();
            case "median" -> new Combiner.Median();
            case "trimmed-mean" -> {
                try {
                    yield new Combiner.TrimmedMean(trim);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--trim-fraction: " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException("--robust-rule must be mean, median or trimmed-mean, found "
                    + robustRule);
        };
        return new ContributionBounds(maxWeight, norm, action, combiner);
    }
}
