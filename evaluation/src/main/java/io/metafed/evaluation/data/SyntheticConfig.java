package io.metafed.evaluation.data;

import io.metafed.model.Checks;

/**
 * Parameters of the embedded synthetic dataset.
 *
 * @param tasteGroups     number of latent taste groups; a user's group is mostly determined by their features
 * @param featureTasteLink probability that a user's taste group follows from their features (else random)
 * @param personalTaste   std of each user's own genre-taste deviation, learnable only from their ratings
 * @param noise           std of the rating noise before rounding
 */
public record SyntheticConfig(long seed, int users, int items, int minRatings, int maxRatings, int tasteGroups,
                              double featureTasteLink, double personalTaste, double noise) {
    public SyntheticConfig {
        Checks.positive(users, "users");
        Checks.positive(items, "items");
        Checks.positive(minRatings, "minRatings");
        Checks.inRange(maxRatings, minRatings, items, "maxRatings");
        Checks.positive(tasteGroups, "tasteGroups");
        Checks.inRange(featureTasteLink, 0, 1, "featureTasteLink");
        Checks.inRange(personalTaste, 0, 10, "personalTaste");
        Checks.inRange(noise, 0, 10, "noise");
    }

    /** The embedded default: MovieLens-100K-like size, so everything runs without downloads. */
    public static SyntheticConfig defaults(long seed) {
        return new SyntheticConfig(seed, 1000, 1200, 20, 160, 8, 0.8, 0.6, 0.6);
    }

    /** A small set for fast tests. */
    public static SyntheticConfig small(long seed) {
        return new SyntheticConfig(seed, 200, 300, 20, 80, 4, 0.8, 0.6, 0.5);
    }

    public String describe() {
        return "synthetic(seed=" + seed + ",users=" + users + ",items=" + items + ",ratings=" + minRatings + ".."
                + maxRatings + ",groups=" + tasteGroups + ",link=" + featureTasteLink + ",personal=" + personalTaste
                + ",noise=" + noise + ")";
    }
}
