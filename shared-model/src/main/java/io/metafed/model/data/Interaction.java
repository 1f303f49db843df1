package io.metafed.model.data;

import io.metafed.model.Checks;

/**
 * One rating of one item by one user: the unit of private on-device data. The rating only has to be finite here;
 * which values are valid is the dataset's {@link RatingScale}, checked where data enters (loaders, SDK).
 */
public record Interaction(int user, int item, float rating, long timestamp) {
    /** Bounds of {@link RatingScale#ONE_TO_FIVE}, the default scale. */
    public static final float MIN_RATING = 1f;
    public static final float MAX_RATING = 5f;

    public Interaction {
        Checks.finite(rating, "rating");
    }
}
