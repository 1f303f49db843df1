package io.metafed.evaluation.baseline;

import io.metafed.model.Checks;
import io.metafed.model.data.Interaction;
import java.util.List;

/** Predicts the mean training rating for every user and item: the floor any model must beat. */
public record GlobalMeanBaseline(double mean) implements RatingPredictor {
    public GlobalMeanBaseline {
        Checks.finite(mean, "mean");
    }

    public static GlobalMeanBaseline fit(List<Interaction> training) {
        return new GlobalMeanBaseline(Training.mean(Training.check(training)));
    }

    @Override
    public double predict(int user, int item) {
        return mean;
    }
}
