package io.metafed.evaluation.metrics;

import io.metafed.model.Checks;
import io.metafed.model.data.RatingScale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard per-user metric set over one user's query items: MAE, RMSE, and for each cut-off k
 * nDCG@k with exponential and with linear gain and Hit@k. Feed the results to a {@link MetricAverager} to
 * average over users. Metric names are given by {@link #MAE}, {@link #RMSE}, {@link #ndcgExp}, {@link #ndcgLin}
 * and {@link #hit}.
 *
 * <p>Models are scored the way an app uses them: a displayed rating is the score clamped to the rating scale
 * (so MAE and RMSE see clamped values: no model is charged for a 5.3 where 5 is the most a user can give), and a
 * ranking orders items by the raw score (clamping would tie every item above the top of the scale and leave
 * their order to chance). Every model, baselines included, is treated alike.
 *
 * @param ks cut-offs, each positive, e.g. MeLU's 1 and 3
 * @param relevanceThreshold true rating counted as relevant for Hit@k
 * @param scale what scores are clamped to for MAE and RMSE; null: not clamped
 */
public record UserEvaluator(List<Integer> ks, double relevanceThreshold, RatingScale scale) {
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

    /** Without clamping: scores are taken as ratings. */
    public UserEvaluator(List<Integer> ks, double relevanceThreshold) {
        this(ks, relevanceThreshold, null);
    }

    /** MeLU's cut-offs with the default relevance threshold of 4 (the 1–5 scale). */
    public static UserEvaluator melu() {
        return new UserEvaluator(MELU_KS, RankingMetrics.DEFAULT_RELEVANCE_THRESHOLD);
    }

    /** MeLU's cut-offs with the relevance threshold of {@code scale} (4 on 1–5 and 0.5–5, 8 on 1–10). */
    public static UserEvaluator melu(RatingScale scale) {
        return new UserEvaluator(MELU_KS, scale.relevanceThreshold(), scale);
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

    /** The ratings {@code scores} stand for: clamped to the scale, or the scores themselves without one. */
    public double[] ratings(double[] scores) {
        if (scale == null) {
            return scores;
        }
        double[] r = new double[scores.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = scale.clamp(scores[i]);
        }
        return r;
    }

    /**
     * This user's metrics, in the order MAE, RMSE, then per k: nDCG (exp), nDCG (linear), Hit. MAE and RMSE of
     * the {@linkplain #ratings clamped} scores, rankings by the raw ones.
     */
    public Map<String, Double> evaluate(double[] predicted, double[] actual) {
        RankingMetrics.checkPair(predicted, actual, true);
        RegressionStats errors = new RegressionStats().addAll(ratings(predicted), actual);
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
