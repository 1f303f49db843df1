package io.metafed.evaluation.task;

import io.metafed.model.Checks;
import java.util.Objects;

/**
 * The cold-start protocol's parameters (MeLU, KDD'19, adapted to MovieLens-100K).
 *
 * @param newItemYear     items released in this year or later are new; unknown years count as existing
 * @param newUserFraction fraction of users drawn as new users (at random, or the latest to join)
 * @param minRatings      a user becomes a task in a partition only with at least this many ratings there
 * @param maxRatings      ... and at most this many (MeLU's 13–100 rule)
 * @param querySize       ratings per task held out as the query set; the rest is support
 * @param mode            how new users (and new items without years) are drawn
 */
public record SplitConfig(long seed, int newItemYear, double newUserFraction, int minRatings, int maxRatings,
                          int querySize, SplitMode mode) {
    public SplitConfig {
        Checks.inRange(newItemYear, 1800, 2100, "newItemYear");
        Checks.inRange(newUserFraction, 0, 1, "newUserFraction");
        Checks.positive(querySize, "querySize");
        Checks.inRange(minRatings, querySize + 1, Integer.MAX_VALUE, "minRatings");
        Checks.inRange(maxRatings, minRatings, Integer.MAX_VALUE, "maxRatings");
        Objects.requireNonNull(mode, "mode");
    }

    /** A random user split. */
    public SplitConfig(long seed, int newItemYear, double newUserFraction, int minRatings, int maxRatings,
                       int querySize) {
        this(seed, newItemYear, newUserFraction, minRatings, maxRatings, querySize, SplitMode.RANDOM);
    }

    /** MeLU's protocol: 13–100 ratings per task, 10 query items, 20% new users; new items from 1997 on. */
    public static SplitConfig melu(long seed) {
        return new SplitConfig(seed, 1997, 0.2, 13, 100, 10);
    }

    public SplitConfig withMode(SplitMode m) {
        return new SplitConfig(seed, newItemYear, newUserFraction, minRatings, maxRatings, querySize, m);
    }
}
