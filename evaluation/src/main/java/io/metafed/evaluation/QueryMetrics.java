package io.metafed.evaluation;

import io.metafed.evaluation.metrics.MetricAverager;
import io.metafed.evaluation.metrics.RegressionStats;
import io.metafed.evaluation.metrics.Summary;
import io.metafed.evaluation.metrics.UserEvaluator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarizes query predictions over many tasks: MAE and RMSE pooled over all query ratings, ranking metrics
 * (nDCG@k with exponential and linear gain, Hit@k) computed per user and averaged over users, as MeLU does. Errors
 * are of the scores clamped to the evaluator's scale, rankings of the raw scores (see {@link UserEvaluator}).
 */
public final class QueryMetrics {
    private QueryMetrics() {
    }

    public static Map<String, Double> summarize(List<QueryPrediction> predictions, UserEvaluator evaluator) {
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("predictions must not be empty");
        }
        RegressionStats pooled = new RegressionStats();
        MetricAverager perUser = new MetricAverager();
        for (QueryPrediction p : predictions) {
            double[] predicted = toDouble(p.predicted());
            double[] actual = toDouble(p.actual());
            pooled.addAll(evaluator.ratings(predicted), actual);
            perUser.addAll(evaluator.evaluate(predicted, actual));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(UserEvaluator.MAE, pooled.mae());
        out.put(UserEvaluator.RMSE, pooled.rmse());
        for (Map.Entry<String, Summary> e : perUser.summaries().entrySet()) {
            out.putIfAbsent(e.getKey(), e.getValue().mean());
        }
        return out;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
