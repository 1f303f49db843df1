package io.metafed.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metafed.evaluation.BaselinePredictions;
import io.metafed.evaluation.QueryMetrics;
import io.metafed.evaluation.QueryPrediction;
import io.metafed.evaluation.baseline.BiasBaseline;
import io.metafed.evaluation.task.UserTask;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.RatingScale;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scores are judged as an app uses them: the displayed rating clamped to the scale (MAE, RMSE), the ranking by the
 * raw score. Hand-computed values; a negative control without a scale shows each half would change the result.
 */
class ClampedScoresTest {
    private static final double EPS = 1e-12;

    // Raw scores 5.6 and 5.2 both clamp to 5: ranked by the clamped value they would tie and keep input order
    // (5.2's item, rated 2, first); ranked raw, the item rated 5 comes first.
    private static final double[] SCORES = {5.2, 5.6, 0.4};
    private static final double[] ACTUAL = {2, 5, 1};

    @Test
    void evaluate_withScale_clampsErrorsButRanksRawScores() {
        Map<String, Double> m = UserEvaluator.melu(RatingScale.ONE_TO_FIVE).evaluate(SCORES, ACTUAL);
        // clamped 5, 5, 1 against 2, 5, 1: errors 3, 0, 0
        assertEquals(1.0, m.get(UserEvaluator.MAE), EPS);
        assertEquals(Math.sqrt(3.0), m.get(UserEvaluator.RMSE), EPS);
        assertEquals(1.0, m.get(UserEvaluator.ndcgLin(1)), EPS);
    }

    @Test
    void evaluate_withoutScale_takesScoresAsRatings() {
        Map<String, Double> m = UserEvaluator.melu().evaluate(SCORES, ACTUAL);
        // errors 3.2, 0.6, 0.6
        assertEquals(4.4 / 3, m.get(UserEvaluator.MAE), 1e-9);
        assertEquals(1.0, m.get(UserEvaluator.ndcgLin(1)), EPS);
    }

    @Test
    void clampedScores_rankedAsClamped_wouldTie() {
        // The control: ranking the clamped ratings puts the item rated 2 first (ties keep input order).
        double[] clamped = UserEvaluator.melu(RatingScale.ONE_TO_FIVE).ratings(SCORES);
        assertEquals(2.0 / 5, RankingMetrics.ndcg(clamped, ACTUAL, 1, Gain.LINEAR), EPS);
    }

    @Test
    void queryMetrics_poolsClampedErrors() {
        UserEvaluator evaluator = UserEvaluator.melu(RatingScale.ONE_TO_FIVE);
        Map<String, Double> m = QueryMetrics.summarize(List.of(new QueryPrediction(7,
                new float[] {5.2f, 5.6f, 0.4f}, new float[] {2, 5, 1})), evaluator);
        assertEquals(1.0, m.get(UserEvaluator.MAE), 1e-6);
    }

    @Test
    void biasBaseline_predictsClampedAndScoresRaw() {
        // User 1 gives 5 to everything, item 1 gets 5 from everyone, user 2 gives 1 to the rest: μ ≈ 3.2, and
        // user 1's and item 1's biases are both large and positive, so μ + b_u + b_i goes above the scale.
        List<Interaction> ratings = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ratings.add(new Interaction(1, i, 5f, 0));
            ratings.add(new Interaction(i + 1, 1, 5f, 0));
            for (int j = 2; j <= 6; j++) {
                ratings.add(new Interaction(i + 1, i + j, 1f, 0));
            }
        }
        BiasBaseline b = BiasBaseline.fit(ratings, RatingScale.ONE_TO_FIVE);
        double raw = b.mu() + b.userBias(1) + b.itemBias(1);
        org.junit.jupiter.api.Assertions.assertTrue(raw > 5.2, "the fixture must score above the scale, found " + raw);
        assertEquals(raw, b.score(1, 1), EPS);
        assertEquals(5.0, b.predict(1, 1), EPS);
        UserTask task = new UserTask(1, io.metafed.evaluation.task.Partition.ITEM_COLD, List.of(new Interaction(1, 2, 5f, 0)), List.of(new Interaction(1, 1, 5f, 0)));
        QueryPrediction p = BaselinePredictions.of(b, List.of(task)).get(0);
        assertEquals((float) raw, p.predicted()[0], 1e-6);
    }
}
