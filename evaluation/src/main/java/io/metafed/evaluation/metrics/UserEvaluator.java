package io.metafed.evaluation.metrics;

import io.metafed.model.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard per-user metric set over one user's query items: MAE, RMSE, and for each cut-off k
 * nDCG@k with exponential and with linear gain and Hit@k. Feed the results to a {@link MetricAverager} to
 * average over users. Metric names are given by {@link #MAE}, {@link #RMSE}, {@link #ndcgExp}, {@link #ndcgLin}
 * and {@link #hit}.
 *
 * @param ks cut-offs, each positive, e.g. MeLU's 1 and 3
 * @param relevanceThreshold true rating counted as relevant for Hit@k
 */
public record UserEvaluator(List<Integer> ks, double relevanceThreshold) {
    public static final String MAE = "mae";
    public static final String RMSE = "rmse";
    /** The cut-offs MeLU reports nDCG at. */
    public static final List<Integer> MELU_KS = List.of(1, 3);

    public UserEvaluator {
        ks = List.copyOf(ks);
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("ks must list at least one cut-off");
        }
        for (int i = 0; i < ks.size(); i++) {
            Checks.positive(ks.get(i), "ks[" + i + "]");
            if (ks.indexOf(ks.get(i)) != i) {
                // Metric names are keyed by k, so a repeated cut-off would silently overwrite itself.
                throw new IllegalArgumentException("ks must be distinct, found " + ks.get(i) + " twice in " + ks);
            }
        }
        Checks.finite(relevanceThreshold, "relevanceThreshold");
    }

    /** MeLU's cut-offs with the default relevance threshold of 4 (the 1–5 scale). */
    public static UserEvaluator melu() {
        return new UserEvaluator(MELU_KS, RankingMetrics.DEFAULT_RELEVANCE_THRESHOLD);
    }

    /** MeLU's cut-offs with the relevance threshold of {@code scale} (4 on 1–5 and 0.5–5, 8 on 1–10). */
    public static UserEvaluator melu(io.metafed.model.data.RatingScale scale) {
        return new UserEvaluator(MELU_KS, scale.relevanceThreshold());
    }

    public static String ndcgExp(int k) {
        return "ndcg_exp@" + k;
    }

    public static String ndcgLin(int k) {
        return "ndcg_lin@" + k;
    }

    public static String hit(int k) {
        return "hit@" + k;
    }

    /** This user's metrics, in the order MAE, RMSE, then per k: nDCG (exp), nDCG (linear), Hit. */
    public Map<String, Double> evaluate(double[] predicted, double[] actual) {
        RankingMetrics.checkPair(predicted, actual, true);
        RegressionStats errors = new RegressionStats().addAll(predicted, actual);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(MAE, errors.mae());
        m.put(RMSE, errors.rmse());
        for (int k : ks) {
            m.put(ndcgExp(k), RankingMetrics.ndcg(predicted, actual, k, Gain.EXPONENTIAL));
            m.put(ndcgLin(k), RankingMetrics.ndcg(predicted, actual, k, Gain.LINEAR));
            m.put(hit(k), RankingMetrics.hit(predicted, actual, k, relevanceThreshold));
        }
        return m;
    }
}
