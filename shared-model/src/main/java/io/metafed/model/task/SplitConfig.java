package io.metafed.model.task;

import io.metafed.model.Checks;

/**
 * The cold-start protocol's parameters (MeLU, KDD'19, adapted to MovieLens-100K).
 *
 * @param newItemYear     items released in this year or later are new; unknown years count as existing
 * @param newUserFraction fraction of users drawn at random as new users
 * @param minRatings      a user becomes a task in a partition only with at least this many ratings there
 * @param maxRatings      ... and at most this many (MeLU's 13–100 rule)
 * @param querySize       ratings per task held out as the query set; the rest is support
 */
public record SplitConfig(long seed, int newItemYear, double newUserFraction, int minRatings, int maxRatings,
                          int querySize) {
    public SplitConfig {
        Checks.inRange(newItemYear, 1800, 2100, "newItemYear");
        Checks.inRange(newUserFraction, 0, 1, "newUserFraction");
        Checks.positive(querySize, "querySize");
        Checks.inRange(minRatings, querySize + 1, Integer.MAX_VALUE, "minRatings");
        Checks.inRange(maxRatings, minRatings, Integer.MAX_VALUE, "maxRatings");
    }

    /** MeLU's protocol: 13–100 ratings per task, 10 query items, 20% new users; new items from 1997 on. */
    public static SplitConfig melu(long seed) {
        return new SplitConfig(seed, 1997, 0.2, 13, 100, 10);
    }
}
