package io.metafed.model.data;

import io.metafed.model.Checks;

/** One rating of one item by one user: the unit of private on-device data. */
public record Interaction(int user, int item, float rating, long timestamp) {
    public static final float MIN_RATING = 1f;
    public static final float MAX_RATING = 5f;

    public Interaction {
        Checks.inRange(rating, MIN_RATING, MAX_RATING, "rating");
    }
}
