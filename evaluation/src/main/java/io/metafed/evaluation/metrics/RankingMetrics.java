package io.metafed.evaluation.metrics;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Per-user ranking metrics over one user's query items. {@code predicted[i]} and {@code actual[i]} are the
 * model's score and the true rating of item i. Items are ranked by predicted score, highest first; equal
 * scores keep their input order, so results are deterministic (and a constant predictor ranks in input
 * order: callers should not present query items sorted by true rating). A {@code k} larger than the list
 * means the whole list. Ratings must be finite and non-negative; predictions finite.
 */
public final class RankingMetrics {
    /** A true rating at or above this counts as relevant for {@link #hit}: 4 and 5 on a 1–5 scale. */
    public static final double DEFAULT_RELEVANCE_THRESHOLD = 4.0;

    private RankingMetrics() {
    }

    /** Item indices in rank order: predicted score descending, ties by input index. */
    public static int[] rankByPrediction(double[] predicted) {
        Objects.requireNonNull(predicted, "predicted");
        for (int i = 0; i < predicted.length; i++) {
            Checks.finite(predicted[i], "predicted[" + i + "]");
        }
        // "+ 0.0" maps -0.0 to 0.0, which Double.compare would otherwise rank below it.
        return IntStream.range(0, predicted.length).boxed()
                .sorted((a, b) -> {
                    int byScore = Double.compare(predicted[b] + 0.0, predicted[a] + 0.0);
                    return byScore != 0 ? byScore : Integer.compare(a, b);
                })
                .mapToInt(Integer::intValue).toArray();
    }

    /** Discounted cumulative gain of the top {@code k}: Σ_{rank j=1..k} gain(r_j) / log2(j + 1). */
    public static double dcg(double[] predicted, double[] actual, int k, Gain gain) {
        checkPair(predicted, actual, true);
        Checks.positive(k, "k");
        Objects.requireNonNull(gain, "gain");
        int[] order = rankByPrediction(predicted);
        return discounted(Arrays.stream(order).mapToDouble(i -> actual[i]).toArray(), k, gain);
    }

    /**
     * nDCG@k = DCG@k / IDCG@k, IDCG from the items sorted by true rating. If all ratings are equal every
     * ordering is ideal and the result is 1.0 (for either gain, ratings > 0). If IDCG is 0 (every rating 0,
     * nothing relevant to find) the result is 0.0, the convention of scikit-learn's ndcg_score.
     */
    public static double ndcg(double[] predicted, double[] actual, int k, Gain gain) {
        double dcg = dcg(predicted, actual, k, gain);
        double[] ascending = actual.clone();
        Arrays.sort(ascending);
        double[] ideal = new double[ascending.length];
        for (int j = 0; j < ideal.length; j++) {
            ideal[j] = ascending[ascending.length - 1 - j];
        }
        // An ideal ranking lists the same ratings in the same order as this, so its ratio is exactly 1.0.
        double idcg = discounted(ideal, k, gain);
        return idcg == 0 ? 0.0 : dcg / idcg;
    }

    /**
     * Hit@k: 1.0 if any of the top {@code k} predicted items has a true rating ≥ {@code threshold}, else 0.0
     * (a double so it averages directly into a hit rate).
     */
    public static double hit(double[] predicted, double[] actual, int k, double threshold) {
        checkPair(predicted, actual, true);
        Checks.positive(k, "k");
        Checks.finite(threshold, "threshold");
        int[] order = rankByPrediction(predicted);
        for (int j = 0; j < Math.min(k, order.length); j++) {
            if (actual[order[j]] >= threshold) {
                return 1.0;
            }
        }
        return 0.0;
    }

    /** Hit@k with {@link #DEFAULT_RELEVANCE_THRESHOLD}. */
    public static double hit(double[] predicted, double[] actual, int k) {
        return hit(predicted, actual, k, DEFAULT_RELEVANCE_THRESHOLD);
    }

    private static double discounted(double[] ratingsInRankOrder, int k, Gain gain) {
        double sum = 0;
        for (int j = 0; j < Math.min(k, ratingsInRankOrder.length); j++) {
            sum += gain.of(ratingsInRankOrder[j]) / (Math.log(j + 2) / Math.log(2));
        }
        return sum;
    }

    /** Same non-zero length, finite values; ranking also needs non-negative ratings so gains are >= 0. */
    static void checkPair(double[] predicted, double[] actual, boolean ranking) {
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(actual, "actual");
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("predicted and actual must have equal length, found "
                    + predicted.length + " and " + actual.length);
        }
        if (!ranking) {
            return;
        }
        if (actual.length == 0) {
            throw new IllegalArgumentException("a ranking needs at least one item, found 0");
        }
        for (int i = 0; i < actual.length; i++) {
            if (!(actual[i] >= 0) || Double.isInfinite(actual[i])) {
                throw new IllegalArgumentException("actual[" + i + "] must be a finite rating >= 0, found "
                        + actual[i]);
            }
        }
    }
}
