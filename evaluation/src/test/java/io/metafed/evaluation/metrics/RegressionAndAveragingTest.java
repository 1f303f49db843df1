package io.metafed.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MAE/RMSE accumulation, averaging over users and the per-user metric set, against hand-computed values. */
class RegressionAndAveragingTest {
    private static final double EPS = 1e-12;

    @Test
    void regressionStats_threePairs_matchesHandComputation() {
        // errors: 3−4 = −1, 4−4 = 0, 5−2 = 3.  MAE = (1+0+3)/3 = 4/3;  RMSE = √((1+0+9)/3) = √(10/3)
        RegressionStats s = new RegressionStats().add(3, 4).add(4, 4).add(5, 2);
        assertEquals(3, s.count());
        assertEquals(4.0 / 3, s.mae(), EPS);
        assertEquals(Math.sqrt(10.0 / 3), s.rmse(), EPS);
    }

    @Test
    void regressionStats_merge_equalsPooled() {
        RegressionStats a = new RegressionStats().add(3, 4);
        RegressionStats b = new RegressionStats().addAll(new double[] {4, 5}, new double[] {4, 2});
        RegressionStats merged = a.merge(b);
        assertEquals(4.0 / 3, merged.mae(), EPS);
        assertEquals(Math.sqrt(10.0 / 3), merged.rmse(), EPS);
    }

    @Test
    void regressionStats_emptyOrNonFinite_rejects() {
        assertThrows(IllegalStateException.class, () -> new RegressionStats().mae());
        assertThrows(IllegalArgumentException.class, () -> new RegressionStats().add(Double.NaN, 3));
    }

    @Test
    void metricAverager_fourUsers_givesMeanAndSampleStd() {
        // values 1, 2, 3, 4: mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; std = √(5/3)
        MetricAverager avg = new MetricAverager();
        for (double v : new double[] {1, 2, 3, 4}) {
            avg.add("mae", v);
        }
        Summary s = avg.summary("mae");
        assertEquals(4, s.count());
        assertEquals(2.5, s.mean(), EPS);
        assertEquals(Math.sqrt(5.0 / 3), s.std(), EPS);
        assertEquals(Math.sqrt(5.0 / 3) / 2, s.standardError(), EPS);
        assertEquals(0.0, new MetricAverager().add("x", 7).summary("x").std());
        assertThrows(IllegalArgumentException.class, () -> avg.summary("rmse"));
    }

    @Test
    void userEvaluator_twoUsers_averagesPerUserMetrics() {
        UserEvaluator eval = new UserEvaluator(List.of(1), 4);
        // user A: predicted 0.9, 0.5, 0.7 for ratings 3, 5, 1 → top-1 is r=3: nDCG_lin@1 = 3/5, hit@1 = 0;
        //   |errors| 2.1, 4.5, 0.3 → MAE 2.3
        Map<String, Double> a = eval.evaluate(new double[] {0.9, 0.5, 0.7}, new double[] {3, 5, 1});
        // user B: predicted 4, 2 for ratings 5, 2 → perfect order: nDCG@1 = 1, hit@1 = 1; |errors| 1, 0 → MAE 0.5
        Map<String, Double> b = eval.evaluate(new double[] {4, 2}, new double[] {5, 2});
        assertEquals(List.of("mae", "rmse", "ndcg_exp@1", "ndcg_lin@1", "hit@1"), List.copyOf(a.keySet()));
        assertEquals(2.3, a.get(UserEvaluator.MAE), 1e-9);
        assertEquals(0.6, a.get(UserEvaluator.ndcgLin(1)), EPS);
        assertEquals(7.0 / 31, a.get(UserEvaluator.ndcgExp(1)), EPS);

        MetricAverager avg = new MetricAverager().addAll(a).addAll(b);
        assertEquals((2.3 + 0.5) / 2, avg.summary("mae").mean(), 1e-9);
        assertEquals((0.6 + 1.0) / 2, avg.summary("ndcg_lin@1").mean(), EPS);
        assertEquals(0.5, avg.summary("hit@1").mean(), EPS);
        assertEquals(2, avg.summary("hit@1").count());
    }

    @Test
    void userEvaluator_invalidCutOff_rejects() {
        assertThrows(IllegalArgumentException.class, () -> new UserEvaluator(List.of(3, 0), 4));
        assertThrows(IllegalArgumentException.class, () -> new UserEvaluator(List.of(), 4));
        assertThrows(IllegalArgumentException.class, () -> new UserEvaluator(List.of(3, 1, 3), 4));
        assertEquals(UserEvaluator.MELU_KS, UserEvaluator.melu().ks());
    }
}
