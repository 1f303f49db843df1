package io.metafed.evaluation.baseline;

/** Predicts the rating a user would give an item; the common face of baselines for evaluation code. */
@FunctionalInterface
public interface RatingPredictor {
    double predict(int user, int item);
}
