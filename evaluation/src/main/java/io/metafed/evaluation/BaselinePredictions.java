package io.metafed.evaluation;

import io.metafed.evaluation.baseline.RatingPredictor;
import io.metafed.evaluation.task.UserTask;
import java.util.ArrayList;
import java.util.List;

/**
 * Query predictions of a non-neural baseline, comparable with {@link TaskEvaluator}'s: its raw
 * {@linkplain RatingPredictor#score scores}, which the metrics clamp for MAE and rank unclamped, as for every model.
 */
public final class BaselinePredictions {
    private BaselinePredictions() {
    }

    public static List<QueryPrediction> of(RatingPredictor predictor, List<UserTask> tasks) {
        List<QueryPrediction> out = new ArrayList<>(tasks.size());
        for (UserTask task : tasks) {
            int n = task.query().size();
            float[] predicted = new float[n];
            float[] actual = new float[n];
            for (int i = 0; i < n; i++) {
                predicted[i] = (float) predictor.score(task.user(), task.query().get(i).item());
                actual[i] = task.query().get(i).rating();
            }
            out.add(new QueryPrediction(task.user(), predicted, actual));
        }
        return out;
    }
}
