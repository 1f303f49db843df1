package io.metafed.evaluation.baseline;

/** Predicts the rating a user would give an item; the common face of baselines for evaluation code. */
@FunctionalInterface
public interface RatingPredictor {
    double predict(int user, int item);

    /**
     * The score items are ranked by, of which {@link #predict} is the displayed rating: for a predictor that
     * clamps to a rating scale, the value before clamping (so items above the top of the scale keep their order).
     * By default the prediction itself.
     */
    default double score(int user, int item) {
        return predict(user, item);
    }
}
